import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import { ApiConventionsModule, IdempotencyKeyPurge } from '@crm/http';
import { isTransientInfrastructureError, MessagingModule, type InboxTuning } from '@crm/messaging';
import { ObservabilityModule } from '@crm/observability';
import { DatabaseDeadline } from './database-deadline';
import type { ServiceConfig } from './service-config';

export interface ServicePlatformOptions {
  config: ServiceConfig;
  entities?: DataSourceOptions['entities'];
  migrations: NonNullable<DataSourceOptions['migrations']>;
  inbox?: InboxTuning;
  /** `sealed`: the service's consumers never read personal data (ADR 0024). */
  personalData?: 'open' | 'sealed';
}

/**
 * Everything a service stands on: its database, Kafka, API conventions, ops endpoints, scheduler, and the
 * business calendar (`CRM_TIMEZONE`), which any provider of the service may inject.
 */
@Module({})
export class ServicePlatformModule {
  static forRoot({ config, entities = [], migrations, inbox, personalData }: ServicePlatformOptions): DynamicModule {
    return {
      module: ServicePlatformModule,
      global: true,
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
        ApiConventionsModule.forRoot({
          jwtSecret: config.jwtSecret,
          oidc: config.oidc,
          rateLimit: config.rateLimit,
          isUnavailable: isTransientInfrastructureError,
          csvExport: { maxRows: config.csvExportMaxRows },
        }),
        MessagingModule.forRoot({
          serviceName: config.service,
          brokers: config.kafkaBrokers,
          topicPrefix: config.topicPrefix,
          replicationFactor: config.replicationFactor,
          inbox,
          personalData,
        }),
        ScheduleModule.forRoot(),
      ],
      // A request never hangs on a stalled database: 503 within 2 s (see DatabaseDeadline).
      providers: [DatabaseDeadline, IdempotencyKeyPurge, { provide: BusinessCalendar, useValue: new BusinessCalendar(config.timeZone) }],
      exports: [BusinessCalendar],
    };
  }
}
