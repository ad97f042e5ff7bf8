import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, CurrentUser, Role, Roles, type AuthUser } from '@crm/http';
import { CustomerSummaryView, TimelineEntryView, TimelineQuery } from './timeline.dto';
import { TimelineService } from './timeline.service';

const SALES = [Role.Admin, Role.SalesManager, Role.SalesRep] as const;

@ApiTags('timeline')
@Controller('api/v1')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  @Get('accounts/:id/timeline')
  @Roles(...SALES)
  @ApiPageResponse(TimelineEntryView, 'Newest first')
  accountTimeline(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Query() query: TimelineQuery) {
    return this.timeline.entries(user, 'account', id, query);
  }

  @Get('contacts/:id/timeline')
  @Roles(...SALES)
  @ApiPageResponse(TimelineEntryView, 'Newest first')
  contactTimeline(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Query() query: TimelineQuery) {
    return this.timeline.entries(user, 'contact', id, query);
  }

  @Get('accounts/:id/summary')
  @Roles(...SALES)
  @ApiOkResponse({ type: CustomerSummaryView })
  accountSummary(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.timeline.summary(user, 'account', id);
  }

  @Get('contacts/:id/summary')
  @Roles(...SALES)
  @ApiOkResponse({ type: CustomerSummaryView })
  contactSummary(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.timeline.summary(user, 'contact', id);
  }
}
