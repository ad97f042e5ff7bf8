import {
  Catch,
  Controller,
  HttpException,
  Get,
  Injectable,
  Logger,
  Param,
  type ArgumentsHost,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
  type INestApplication,
  type ModuleMetadata,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, Reflector } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import type { DestinationStream } from 'pino';
import { createJsonLogger, currentCorrelationId, MetricsRegistry, ObservabilityModule, PUBLIC_ROUTE_KEY } from '../src';

/** Collects the JSON lines a JsonLogger writes, parsed. */
export class LogCapture implements DestinationStream {
  readonly lines: Record<string, unknown>[] = [];

  write(line: string): void {
    this.lines.push(JSON.parse(line) as Record<string, unknown>);
  }
}

// A stand-in business route with a path parameter, logging after an await to prove the id survives async hops.
@Controller('api/v1/things')
export class ThingsController {
  private readonly logger = new Logger(ThingsController.name);

  constructor(metrics: MetricsRegistry) {
    // Proves the global module's registry is injectable from any feature module.
    metrics.counter({ name: 'things_viewed_total', help: 'things viewed' });
  }

  @Get(':id')
  async findOne(@Param('id') id: string): Promise<{ id: string; correlationId: string | undefined }> {
    await sleep(1);
    this.logger.log(`loading thing ${id}`);
    return { id, correlationId: currentCorrelationId() };
  }
}

// The same route for an app that sets `api/v1` as its global prefix.
@Controller('things')
export class UnprefixedThingsController extends ThingsController {}

// Mirrors how the http lib's guard reads the public marker: handler first, then class.
@Injectable()
export class DenyUnlessPublicGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE_KEY, [context.getHandler(), context.getClass()]) === true;
  }
}

// Stands in for the http lib's problem+json filter, which would drop any body it does not know.
@Catch(HttpException)
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const status = exception.getStatus();
    host.switchToHttp().getResponse<FastifyReply>().status(status).send({ type: 'about:blank', status });
  }
}

export interface TestAppOptions {
  serviceName?: string;
  readinessTimeoutMs?: number;
  withAuthGuard?: boolean;
  withProblemFilter?: boolean;
  /** Applied the way a service's main.ts would, with the ops routes left outside it. */
  globalPrefix?: string;
  imports?: ModuleMetadata['imports'];
}

export interface TestApp {
  app: INestApplication;
  logs: LogCapture;
}

export async function createObservabilityTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ...(options.imports ?? []),
      ObservabilityModule.forRoot({
        serviceName: options.serviceName ?? 'test-svc',
        readinessTimeoutMs: options.readinessTimeoutMs,
      }),
    ],
    controllers: [options.globalPrefix ? UnprefixedThingsController : ThingsController],
    providers: [
      ...(options.withAuthGuard ? [{ provide: APP_GUARD, useClass: DenyUnlessPublicGuard }] : []),
      ...(options.withProblemFilter ? [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }] : []),
    ],
  }).compile();
  const logs = new LogCapture();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { bufferLogs: true });
  app.useLogger(createJsonLogger(options.serviceName ?? 'test-svc', { destination: logs, level: 'info' }));
  if (options.globalPrefix) {
    app.setGlobalPrefix(options.globalPrefix, { exclude: ['health/live', 'health/ready', 'metrics'] });
  }
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, logs };
}

/** The value of the Prometheus sample with this name whose labels include all of `labels`. */
export function sampleValue(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const lineLabels = new Map([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => lineLabels.get(key) === value)) {
      return Number(match[3]);
    }
  }
  return undefined;
}
