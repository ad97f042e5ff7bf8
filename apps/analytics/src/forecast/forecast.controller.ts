import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role, Roles } from '@crm/http';
import { AccuracyQueryDto, RowsResponse } from '../reporting/reporting.dto';
import { ForecastSnapshotJob } from './forecast-snapshot.job';

@ApiTags('analytics')
@Controller('api/v1/analytics/forecast')
@Roles(Role.Admin, Role.SalesManager)
export class ForecastController {
  constructor(private readonly snapshots: ForecastSnapshotJob) {}

  @Get('accuracy')
  @ApiOkResponse({ type: RowsResponse, description: 'Past forecasts against the actuals of closed months, with MAPE per method (company-wide)' })
  accuracy(@Query() q: AccuracyQueryDto) {
    return this.snapshots.accuracy(q.currency);
  }
}
