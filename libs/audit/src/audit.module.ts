import { Module, type DynamicModule } from '@nestjs/common';
import { z } from 'zod';
import { setting } from '@crm/platform';
import { personalDataVault } from '@crm/privacy';
import { AuditTrail } from './audit-trail';
import { AUDIT_OPTIONS, AuditPurgeJob, type AuditOptions } from './audit-purge.job';
import { auditController } from './audit.controller';

/** The settings every service with a trail declares next to its own (`...auditSettings`). */
export const auditSettings = {
  auditRetentionDays: setting('AUDIT_RETENTION_DAYS', z.coerce.number().int('must be a whole number').min(1).max(36500).default(2555)),
};

@Module({})
export class AuditModule {
  /** The trail of `service`: `AuditTrail` to inject anywhere (global), its read route and its retention purge. */
  static forService(service: string, options: AuditOptions): DynamicModule {
    return {
      module: AuditModule,
      global: true,
      controllers: [auditController(service)],
      providers: [
        { provide: AuditTrail, useFactory: () => new AuditTrail(service, personalDataVault()) },
        { provide: AUDIT_OPTIONS, useValue: options },
        AuditPurgeJob,
      ],
      exports: [AuditTrail, AuditPurgeJob],
    };
  }
}
