import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, IfMatch, Role, Roles, type AuthUser } from '@crm/http';
import { ListMergesQuery, MergeAccountsDto, MergeContactsDto } from './merges.dto';
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
  mergeAccounts(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: MergeAccountsDto, @IfMatch() expected: number) {
    return this.merges.mergeAccounts(user, id, dto, expected);
  }

  @Post('contacts/:id/merge')
  @Roles(...MERGERS)
  mergeContacts(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: MergeContactsDto, @IfMatch() expected: number) {
    return this.merges.mergeContacts(user, id, dto, expected);
  }

  @Post('merges/:mergeId/undo')
  @HttpCode(200)
  @Roles(...MERGERS)
  undo(@CurrentUser() user: AuthUser, @Param('mergeId', ParseUUIDPipe) mergeId: string) {
    return this.merges.undo(user, mergeId);
  }

  @Get('merges')
  @Roles(...MERGERS)
  list(@CurrentUser() user: AuthUser, @Query() query: ListMergesQuery) {
    return this.merges.list(user, query);
  }
}
