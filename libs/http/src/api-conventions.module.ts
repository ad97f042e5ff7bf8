import { DynamicModule, Module, ModuleMetadata, OnModuleInit, Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { API_CONVENTIONS_OPTIONS, ApiConventionsOptions, assertApiConventionsOptions } from './api-conventions.options';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { RolesGuard } from './auth/roles.guard';
import { TokenVerifier } from './auth/token-verifier';
import { installEtagHook } from './concurrency/etag.hooks';
import { CsvExportInterceptor } from './export/csv-export.interceptor';
import { routeCsvExportsToLists } from './export/csv-export.routes';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { ThrottlerModule } from '@nestjs/throttler';
import { ClientThrottlerGuard, RateLimitGuard, throttlerOptionsFor } from './limits/rate-limit';
import { ProblemDetailsFilter } from './problem/problem-details.filter';
import { createValidationPipe } from './validation/validation.pipe';

export interface ApiConventionsAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: any[];
  useFactory: (...args: any[]) => ApiConventionsOptions | Promise<ApiConventionsOptions>;
}

// Guards run in this order: authentication first, so the roles check always has a caller.
const conventionProviders: Provider[] = [
  TokenVerifier,
  { provide: APP_GUARD, useClass: JwtAuthGuard },
  // After authentication, so that a client is counted by its token's subject.
  ClientThrottlerGuard,
  { provide: APP_GUARD, useClass: RateLimitGuard },
  { provide: APP_GUARD, useClass: RolesGuard },
  { provide: APP_FILTER, useClass: ProblemDetailsFilter },
  { provide: APP_PIPE, useFactory: createValidationPipe },
  // Any list answers `Accept: text/csv` with a streamed export of all its pages (routeCsvExportsToLists).
  CsvExportInterceptor,
  IdempotencyInterceptor,
];

/**
 * Import once in a service's root module: bearer auth, roles, problem+json errors, validation and ETags
 * apply to every route; `@Idempotent()` is available on creates. Global so the idempotency interceptor
 * resolves its options from any controller's module.
 */
@Module({})
export class ApiConventionsModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    modules: ModulesContainer,
  ) {
    // Here, not in onModuleInit: the routes are built between the two.
    routeCsvExportsToLists(modules);
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify) installEtagHook(fastify);
  }

  static forRoot(options: ApiConventionsOptions): DynamicModule {
    return {
      module: ApiConventionsModule,
      global: true,
      imports: [ThrottlerModule.forRoot(throttlerOptionsFor(options.rateLimit))],
      providers: [{ provide: API_CONVENTIONS_OPTIONS, useValue: assertApiConventionsOptions(options) }, ...conventionProviders],
      exports: [API_CONVENTIONS_OPTIONS, IdempotencyInterceptor, TokenVerifier],
    };
  }

  /** For a secret read from the service's validated config. */
  static forRootAsync(options: ApiConventionsAsyncOptions): DynamicModule {
    return {
      module: ApiConventionsModule,
      global: true,
      imports: [
        ...(options.imports ?? []),
        ThrottlerModule.forRootAsync({
          imports: options.imports ?? [],
          inject: options.inject ?? [],
          useFactory: async (...args: unknown[]) => throttlerOptionsFor((await options.useFactory(...args)).rateLimit),
        }),
      ],
      providers: [
        {
          provide: API_CONVENTIONS_OPTIONS,
          inject: options.inject ?? [],
          useFactory: async (...args: unknown[]) => assertApiConventionsOptions(await options.useFactory(...args)),
        },
        ...conventionProviders,
      ],
      exports: [API_CONVENTIONS_OPTIONS, IdempotencyInterceptor, TokenVerifier],
    };
  }
}
