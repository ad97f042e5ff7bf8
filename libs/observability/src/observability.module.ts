import { Global, Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CorrelationIdMiddleware } from './correlation/correlation-id.middleware';
import { HealthController } from './health/health.controller';
import { ReadinessRegistry } from './health/readiness.registry';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsRegistry } from './metrics/metrics.registry';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from './observability.options';

/** Correlation ids, HTTP metrics, `/metrics`, `/health/live` and `/health/ready` for one service. */
@Global()
@Module({})
export class ObservabilityModule implements NestModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [TerminusModule.forRoot()],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: OBSERVABILITY_OPTIONS, useValue: options }, MetricsRegistry, ReadinessRegistry],
      exports: [MetricsRegistry, ReadinessRegistry],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Correlation first, so anything the metrics middleware or later code logs already has the id.
    consumer.apply(CorrelationIdMiddleware, HttpMetricsMiddleware).forRoutes('*');
  }
}
