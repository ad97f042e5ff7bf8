import { Global, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { FastifyInstance } from 'fastify';
import { installCorrelationHooks } from './correlation/correlation.hooks';
import { HealthController } from './health/health.controller';
import { ReadinessRegistry } from './health/readiness.registry';
import { installHttpMetricsHooks } from './metrics/http-metrics.hooks';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsRegistry } from './metrics/metrics.registry';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from './observability.options';
import { activeTracer, stopTracing } from './tracing/tracing';

/** Correlation ids (and, with OTLP set, traces), HTTP metrics, `/metrics`, `/health/live` and `/health/ready` for one service. */
@Global()
@Module({})
export class ObservabilityModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsRegistry,
  ) {}

  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [TerminusModule.forRoot()],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: OBSERVABILITY_OPTIONS, useValue: options }, MetricsRegistry, ReadinessRegistry],
      exports: [MetricsRegistry, ReadinessRegistry],
    };
  }

  // Fastify hooks rather than Nest middleware: they cost less per request and also see 404s and parser refusals.
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return; // an application context without HTTP (the analytics rebuild command)
    installCorrelationHooks(fastify, activeTracer());
    installHttpMetricsHooks(fastify, this.metrics);
  }

  // After every consumer and the relay stopped (MessagingRuntime.beforeApplicationShutdown): their last spans go too.
  async onApplicationShutdown(): Promise<void> {
    await stopTracing();
  }
}
