import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, HistoryImportResultView, Role, Roles, type AuthUser } from '@crm/http';
import { OpportunityHistoryImportDto } from './history.dto';
import { OpportunityHistoryService } from './history.service';

@ApiTags('history')
@Controller('api/v1/history')
export class OpportunityHistoryController {
  constructor(private readonly history: OpportunityHistoryService) {}

  /**
   * Opportunities from another CRM with their original dates: opened, each stage move, won or lost. Idempotent
   * per `externalId`; any invalid record refuses the whole request (400, errors by `opportunities[i].field`);
   * each record is stored whole or not at all. Admin and integration only.
   */
  @Post('opportunities')
  @HttpCode(200)
  @Roles(Role.Admin, Role.Integration)
  @ApiOperation({ operationId: 'importOpportunityHistory' })
  @ApiOkResponse({ type: HistoryImportResultView })
  importOpportunities(@CurrentUser() user: AuthUser, @Body() dto: OpportunityHistoryImportDto) {
    return this.history.importOpportunities(user, dto.opportunities);
  }
}
