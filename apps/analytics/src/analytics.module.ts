import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceConfig } from '@crm/platform';
import { ForecastController } from './forecast/forecast.controller';
import { ForecastSnapshotJob } from './forecast/forecast-snapshot.job';
import { BusinessMetrics } from './metrics/business-metrics';
import { AnalyticsEventsConsumer } from './projection/analytics-events.consumer';
import { Projector } from './projection/projector.service';
import { ANALYTICS_CONFIG, RebuildService } from './projection/rebuild.service';
import { QuotasController } from './quotas/quotas.controller';
import { QuotasService } from './quotas/quotas.service';
import { AnalyticsController } from './reporting/analytics.controller';
import { AnalyticsService } from './reporting/analytics.service';
import { KpiService } from './reporting/kpi.service';

/** The read model (projection, rebuild), the dashboards' queries, quotas, forecast snapshots and gauges. */
@Module({})
export class AnalyticsModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AnalyticsModule,
      controllers: [AnalyticsEventsConsumer, ForecastController, AnalyticsController, QuotasController],
      providers: [
        { provide: ANALYTICS_CONFIG, useValue: config },
        Projector, RebuildService, AnalyticsService, KpiService, QuotasService, ForecastSnapshotJob, BusinessMetrics,
      ],
      exports: [RebuildService, ForecastSnapshotJob, Projector],
    };
  }
}
