import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Role, Roles, uuidParam, type AuthUser } from '@crm/http';
import { PutQuotaDto, QuotaListView, QuotaView } from './quotas.dto';
import { QuotasService, periodError } from './quotas.service';

const repIdParam = uuidParam('repId');

@ApiTags('quotas')
@Controller('api/v1/quotas')
export class QuotasController {
  constructor(private readonly quotas: QuotasService) {}

  @Put(':period/:repId')
  @Roles(Role.Admin, Role.SalesManager)
  @ApiOkResponse({ type: QuotaView, description: 'Created or replaced; PUT is idempotent' })
  @ApiForbiddenResponse({ description: 'REP_NOT_IN_TEAM: a manager sets quotas for the reps of their team only' })
  put(@Param('period') period: string, @Param('repId', repIdParam) repId: string, @Body() dto: PutQuotaDto, @CurrentUser() user: AuthUser): Promise<QuotaView> {
    return this.quotas.put(period, repId, dto, user);
  }

  @Get()
  @Roles(Role.Admin, Role.SalesManager, Role.SalesRep)
  @ApiQuery({ name: 'period', type: String, example: '2026-Q3', description: 'A year, quarter or month of the business time zone (CRM_TIMEZONE, default UTC)' })
  @ApiOkResponse({ type: QuotaListView })
  list(@Query('period') period: string | undefined, @CurrentUser() user: AuthUser) {
    if (!period) throw periodError();
    return this.quotas.list(period, user);
  }
}
