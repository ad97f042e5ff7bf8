import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Role, Roles, uuidParam, type AuthUser } from '@crm/http';
import { DealsReportService } from './deals-report.service';
import { ForecastReportService } from './forecast-report.service';
import { KpiService } from './kpi.service';
import { RepReportService } from './rep-report.service';
import { RepReportView } from './rep-report.view';
import {
  DateRangeQueryDto,
  ForecastQueryDto,
  FunnelQueryDto,
  KpiQueryDto,
  PipelineQueryDto,
  RankingQueryDto,
  RepReportQueryDto,
  RowsResponse,
  SalesQueryDto,
  SeriesResponse,
} from './reporting.dto';
import { SalesReportService } from './sales-report.service';

/**
 * Dashboards. Charts get `{ asOf, series: [{ label, measure, currency, points: [{ x, y }] }] }`, tables
 * `{ asOf, rows: [...] }`; `asOf` is the time of the last event applied. A manager sees their team's
 * figures, a rep their own.
 */
@ApiTags('analytics')
@Controller('api/v1/analytics')
@Roles(Role.Admin, Role.SalesManager, Role.SalesRep)
export class AnalyticsController {
  constructor(
    private readonly salesReport: SalesReportService,
    private readonly deals: DealsReportService,
    private readonly forecasts: ForecastReportService,
    private readonly kpis: KpiService,
    private readonly reps: RepReportService,
  ) {}

  @Get('sales')
  @ApiOkResponse({
    type: SeriesResponse,
    description: 'Money series per currency (confirmed, cancelled, net, shipped, paid, order counts) and lead/opportunity counts',
  })
  sales(@Query() q: SalesQueryDto, @CurrentUser() user: AuthUser) {
    return this.salesReport.sales(q, user);
  }

  @Get('funnel')
  @ApiOkResponse({
    type: SeriesResponse,
    description: 'Leads captured in [from, to] reaching each stage; x = stage, rate = conversion from the previous stage',
  })
  funnel(@Query() q: FunnelQueryDto, @CurrentUser() user: AuthUser) {
    return this.deals.funnel(q, user);
  }

  @Get('pipeline')
  @ApiOkResponse({ type: SeriesResponse, description: 'Open opportunities by stage: raw amount, probability-weighted amount and count per currency' })
  pipeline(@Query() q: PipelineQueryDto, @CurrentUser() user: AuthUser) {
    return this.deals.pipeline(q, user);
  }

  @Get('cycle-time')
  @ApiOkResponse({ type: RowsResponse, description: 'Median and p90 in hours: lead captured → won, won → fully paid, lead capture → first follow-up' })
  cycleTime(@Query() q: DateRangeQueryDto, @CurrentUser() user: AuthUser) {
    return this.deals.cycleTime(q, user);
  }

  @Get('forecast')
  @ApiOkResponse({
    type: SeriesResponse,
    description: 'Monthly net bookings, the time-series forecast with its 95 % interval, and the pipeline forecast (commit, best case, weighted)',
  })
  forecast(@Query() q: ForecastQueryDto, @CurrentUser() user: AuthUser) {
    return this.forecasts.forecast(q, user);
  }

  @Get('kpis')
  @ApiOkResponse({
    type: RowsResponse,
    description:
      'Per rep or team: revenue, growth, quota attainment, win rate, lead conversion rate, deal size, response time, satisfaction. ' +
      'Lead conversion rate = leads converted in the period ÷ (leads converted + leads disqualified in the period): of the leads that reached a decision ' +
      'in the period, the share converted, counted on the day of the decision, like the win rate; null when none was decided. Leads still open are not in it ' +
      '(leadsCaptured shows the intake); the funnel gives the conversion of a capture cohort.',
  })
  kpiTable(@Query() q: KpiQueryDto, @CurrentUser() user: AuthUser) {
    return this.kpis.kpis(q, user);
  }

  @Get('rankings')
  @ApiOkResponse({ type: RowsResponse, description: 'Reps or teams ranked by one KPI (ties share a rank)' })
  rankings(@Query() q: RankingQueryDto, @CurrentUser() user: AuthUser) {
    return this.kpis.rankings(q, user);
  }

  @Get('reps/:repId/report')
  @ApiOkResponse({
    type: RepReportView,
    description: "One rep's KPIs, ranks, monthly bookings and incentive earned (under their team's plan, null without one) for a period",
  })
  repReport(@Param('repId', uuidParam('repId')) repId: string, @Query() q: RepReportQueryDto, @CurrentUser() user: AuthUser) {
    return this.reps.repReport(repId, q, user);
  }
}
