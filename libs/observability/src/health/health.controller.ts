import { Controller, Get, Header, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiOkResponse } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';
import { DEFAULT_READINESS_TIMEOUT_MS, OBSERVABILITY_OPTIONS, type ObservabilityOptions } from '../observability.options';
import { PublicRoute } from '../public-route.decorator';
import { DATABASE_CHECK_NAME, ReadinessRegistry } from './readiness.registry';

@PublicRoute
@Controller('health')
export class HealthController {
  private readonly timeoutMs: number;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly typeOrm: TypeOrmHealthIndicator,
    private readonly readiness: ReadinessRegistry,
    private readonly moduleRef: ModuleRef,
    @Inject(OBSERVABILITY_OPTIONS) options: ObservabilityOptions,
  ) {
    this.timeoutMs = options.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS;
  }

  // Liveness checks nothing external: a database outage must not make the orchestrator restart every pod.
  @Get('live')
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({
    description: 'The process is up',
    schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } },
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) res: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check(this.indicatorsToRun());
    } catch (err) {
      // Answered here rather than thrown, so an app-wide exception filter cannot reshape the per-check body.
      if (!(err instanceof ServiceUnavailableException)) throw err;
      res.status(err.getStatus());
      return err.getResponse() as HealthCheckResult;
    }
  }

  private indicatorsToRun(): HealthIndicatorFunction[] {
    const indicators: HealthIndicatorFunction[] = [];
    const dataSource = this.findDataSource();
    if (dataSource) indicators.push(() => this.checkDatabase(dataSource));
    for (const check of this.readiness.checks()) {
      indicators.push(() =>
        this.indicators
          .check(check.name)
          .attempt(() => check.check())
          .withTimeout(this.timeoutMs),
      );
    }
    return indicators;
  }

  private checkDatabase(dataSource: DataSource) {
    // Querying a DataSource that never connected fails with an unhelpful TypeError; say what is wrong instead.
    if (!dataSource.isInitialized) {
      return this.indicators.check(DATABASE_CHECK_NAME).down('DataSource is not initialized');
    }
    return this.typeOrm.pingCheck(DATABASE_CHECK_NAME, { connection: dataSource, timeout: this.timeoutMs });
  }

  // Looked up per request, not injected: services without a database use this module too.
  private findDataSource(): DataSource | undefined {
    try {
      return this.moduleRef.get<DataSource>(getDataSourceToken(), { strict: false });
    } catch {
      return undefined;
    }
  }
}
