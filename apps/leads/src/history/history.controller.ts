import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, HistoryImportResultView, Role, Roles, type AuthUser } from '@crm/http';
import { LeadHistoryImportDto } from './history.dto';
import { LeadHistoryService } from './history.service';

@ApiTags('history')
@Controller('api/v1/history')
export class LeadHistoryController {
  constructor(private readonly history: LeadHistoryService) {}

  /**
   * Leads from another CRM with their original dates (capture, assignment, follow-ups, qualification,
   * conversion). Idempotent per `externalId`; any invalid record refuses the whole request (400, errors by
   * `leads[i].field`); each record is stored whole or not at all. Admin and integration only.
   */
  @Post('leads')
  @HttpCode(200)
  @Roles(Role.Admin, Role.Integration)
  @ApiOperation({ operationId: 'importLeadHistory' })
  @ApiOkResponse({ type: HistoryImportResultView })
  importLeads(@CurrentUser() user: AuthUser, @Body() dto: LeadHistoryImportDto) {
    return this.history.importLeads(user, dto.leads);
  }
}
