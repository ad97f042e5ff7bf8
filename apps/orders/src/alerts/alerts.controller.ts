import { Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, CurrentUser, Role, Roles, type AuthUser } from '@crm/http';
import { AlertView, ListAlertsQuery } from './alerts.dto';
import { AlertsService } from './alerts.service';

const READERS = [Role.Admin, Role.SalesManager, Role.SalesRep] as const;

@ApiTags('alerts')
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @Roles(...READERS)
  @ApiPageResponse(AlertView, 'Newest first')
  list(@CurrentUser() user: AuthUser, @Query() query: ListAlertsQuery) {
    return this.alerts.list(user, query);
  }

  @Post(':id/acknowledge')
  @Roles(...READERS)
  @ApiCreatedResponse({ type: AlertView, description: 'The alert, acknowledged' })
  acknowledge(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.alerts.acknowledge(user, id);
  }
}
