import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { DomainError } from '@crm/domain';
import { Role, Roles } from '@crm/http';
import { addMonths } from '../reporting/stats.domain';
import { ForecastSnapshotJob } from './forecast-snapshot.job';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** At most three years of months per request. */
const MAX_MONTHS = 36;

export class ForecastBackfillDto {
  @ApiProperty({ example: '2025-01', description: 'first month to make the forecast in (YYYY-MM)' })
  @Matches(MONTH, { message: '$property must be a month (YYYY-MM)' })
  from: string;
  @ApiProperty({ example: '2025-12', description: 'last month (YYYY-MM), before the current month' })
  @Matches(MONTH, { message: '$property must be a month (YYYY-MM)' })
  to: string;
}

class ForecastBackfillView {
  @ApiProperty({ description: 'forecast values stored (those stored before are kept as they were)' }) stored: number;
}

@ApiTags('analytics')
@Controller('api/v1/analytics/forecast')
export class ForecastBackfillController {
  constructor(private readonly snapshots: ForecastSnapshotJob) {}

  /**
   * After a historical import: the monthly time-series forecasts a running system would have kept for those
   * months, each from the history before its month only, so forecast accuracy covers the imported year.
   */
  @Post('snapshots/backfill')
  @HttpCode(200)
  @Roles(Role.Admin, Role.Integration)
  @ApiOkResponse({ type: ForecastBackfillView })
  async backfill(@Body() dto: ForecastBackfillDto): Promise<ForecastBackfillView> {
    const current = new Date().toISOString().slice(0, 7);
    if (dto.to >= current)
      throw DomainError.invalidInput('to', 'beforeCurrentMonth', `to must be before the current month (${current}): the daily job makes its forecasts`);
    if (dto.from > dto.to) throw DomainError.invalidInput('from', 'notAfterTo', 'from must not be after to');
    if (addMonths(`${dto.from}-01`, MAX_MONTHS) <= `${dto.to}-01`) throw DomainError.invalidInput('from', 'maxMonths', `at most ${MAX_MONTHS} months at once`);
    return { stored: await this.snapshots.backfill(dto.from, dto.to) };
  }
}
