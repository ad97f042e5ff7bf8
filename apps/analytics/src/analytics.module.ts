import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceConfig } from '@crm/platform';
import { ForecastBackfillController } from './forecast/forecast-backfill.controller';
import { ForecastController } from './forecast/forecast.controller';
import { ForecastSnapshotJob } from './forecast/forecast-snapshot.job';
import { ForecastSnapshotsRepository } from './forecast/forecast-snapshots.repository';
import { IncentivePlansRepository } from './incentives/incentive-plans.repository';
import { IncentivesController } from './incentives/incentives.controller';
import { IncentivesService } from './incentives/incentives.service';
import { BusinessMetrics } from './metrics/business-metrics';
import { AggregatesRepository } from './projection/aggregates.repository';
import { AnalyticsEventsConsumer } from './projection/analytics-events.consumer';
import { CustomerLinksRepository } from './projection/customer-links.repository';
import { DirectoriesRepository } from './projection/directories.repository';
import { LeadFactsRepository } from './projection/lead-facts.repository';
import { OpportunityFactsRepository } from './projection/opportunity-facts.repository';
import { OrderFactsRepository } from './projection/order-facts.repository';
import { Projector } from './projection/projector.service';
import { ReceivableFactsRepository } from './projection/receivable-facts.repository';
import { ANALYTICS_CONFIG, RebuildService } from './projection/rebuild.service';
import { QuotasController } from './quotas/quotas.controller';
import { QuotasRepository } from './quotas/quotas.repository';
import { QuotasService } from './quotas/quotas.service';
import { AnalyticsController } from './reporting/analytics.controller';
import { DealsReportService } from './reporting/deals-report.service';
import { ForecastReportService } from './reporting/forecast-report.service';
import { KpiService } from './reporting/kpi.service';
import { RepReportService } from './reporting/rep-report.service';
import { ReportRepository } from './reporting/report.repository';
import { SalesReportService } from './reporting/sales-report.service';

/** The read model (projection, rebuild), the dashboards' queries, quotas, incentive plans, forecast snapshots and gauges. */
@Module({})
export class AnalyticsModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AnalyticsModule,
      controllers: [AnalyticsEventsConsumer, ForecastController, ForecastBackfillController, AnalyticsController, QuotasController, IncentivesController],
      providers: [
        { provide: ANALYTICS_CONFIG, useValue: config },
        DirectoriesRepository,
        LeadFactsRepository,
        OpportunityFactsRepository,
        OrderFactsRepository,
        ReceivableFactsRepository,
        AggregatesRepository,
        CustomerLinksRepository,
        Projector,
        RebuildService,
        ReportRepository,
        SalesReportService,
        DealsReportService,
        ForecastReportService,
        KpiService,
        RepReportService,
        QuotasRepository,
        QuotasService,
        IncentivePlansRepository,
        IncentivesService,
        ForecastSnapshotsRepository,
        ForecastSnapshotJob,
        BusinessMetrics,
      ],
      exports: [RebuildService, ForecastSnapshotJob, Projector],
    };
  }
}
