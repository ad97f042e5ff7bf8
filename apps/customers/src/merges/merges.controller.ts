import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, CurrentUser, IfMatch, Role, Roles, type AuthUser } from '@crm/http';
import { AccountMergeView, ContactMergeView, ListMergesQuery, MergeAccountsDto, MergeContactsDto, MergeRecordView, UndoneMergeView } from './merges.dto';
import { MergesService } from './merges.service';

// Merging changes two records at once and every service's references to them: managers (their team's records) and admins.
const MERGERS = [Role.Admin, Role.SalesManager] as const;

@ApiTags('merges')
@Controller('api/v1')
export class MergesController {
  constructor(private readonly merges: MergesService) {}

  /** The account of the path survives; `If-Match` is its version. */
  @Post('accounts/:id/merge')
  @Roles(...MERGERS)
  @ApiOperation({ operationId: 'mergeAccounts' })
  @ApiCreatedResponse({ type: AccountMergeView })
  mergeAccounts(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: MergeAccountsDto, @IfMatch() expected: number) {
    return this.merges.mergeAccounts(user, id, dto, expected);
  }

  @Post('contacts/:id/merge')
  @Roles(...MERGERS)
  @ApiOperation({ operationId: 'mergeContacts' })
  @ApiCreatedResponse({ type: ContactMergeView })
  mergeContacts(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: MergeContactsDto, @IfMatch() expected: number) {
    return this.merges.mergeContacts(user, id, dto, expected);
  }

  @Post('merges/:mergeId/undo')
  @HttpCode(200)
  @Roles(...MERGERS)
  @ApiOkResponse({ type: UndoneMergeView })
  undo(@CurrentUser() user: AuthUser, @Param('mergeId', ParseUUIDPipe) mergeId: string) {
    return this.merges.undo(user, mergeId);
  }

  @Get('merges')
  @Roles(...MERGERS)
  @ApiPageResponse(MergeRecordView, 'Newest first')
  list(@CurrentUser() user: AuthUser, @Query() query: ListMergesQuery) {
    return this.merges.list(user, query);
  }
}
