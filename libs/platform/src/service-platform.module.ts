import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ApiConventionsModule } from '@crm/http';
import { MessagingModule, type InboxTuning } from '@crm/messaging';
import { ObservabilityModule } from '@crm/observability';
import { DatabaseDeadlineInterceptor } from './database-deadline.interceptor';
import type { ServiceConfig } from './service-config';

export interface ServicePlatformOptions {
  config: ServiceConfig;
  entities?: DataSourceOptions['entities'];
  migrations: NonNullable<DataSourceOptions['migrations']>;
  inbox?: InboxTuning;
}

/** Everything a service stands on: its database, Kafka, API conventions, ops endpoints, scheduler. */
@Module({})
export class ServicePlatformModule {
  static forRoot({ config, entities = [], migrations, inbox }: ServicePlatformOptions): DynamicModule {
    return {
      module: ServicePlatformModule,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: config.databaseUrl,
          entities,
          migrations,
          migrationsRun: false, // migrations run once per deploy (tools/migrate.ts), not in every replica
          extra: { max: 10, connectionTimeoutMillis: 5_000 },
        }),
        ObservabilityModule.forRoot({ serviceName: config.service }),
        ApiConventionsModule.forRoot({ jwtSecret: config.jwtSecret, rateLimit: config.rateLimit }),
        MessagingModule.forRoot({ serviceName: config.service, brokers: config.kafkaBrokers, topicPrefix: config.topicPrefix, inbox }),
        ScheduleModule.forRoot(),
      ],
      // A request never hangs on a stalled database: 503 within 2 s (see the interceptor).
      providers: [{ provide: APP_INTERCEPTOR, useFactory: (ds: DataSource) => new DatabaseDeadlineInterceptor(ds), inject: [DataSource] }],
    };
  }
}
