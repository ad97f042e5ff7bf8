import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { AuditTrail } from './audit-trail';

export const AUDIT_OPTIONS = Symbol('AUDIT_OPTIONS');
export interface AuditOptions {
  /** Days an entry is kept (`AUDIT_RETENTION_DAYS`, about seven years by default). */
  retentionDays: number;
  /** How often the purge looks for entries past the period. */
  purgeIntervalMs?: number;
}

const DAY_MS = 86_400_000;
const HOURLY = 3_600_000;

/** Deletes the entries older than the retention period, in bounded batches; one replica at a time (see `AuditTrail.purge`). */
@Injectable()
export class AuditPurgeJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuditPurgeJob.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly trail: AuditTrail,
    @Inject(AUDIT_OPTIONS) private readonly options: AuditOptions,
    @Optional() @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry | null = null,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler?.addInterval(
      'audit-trail-purge',
      setInterval(() => void this.run(), this.options.purgeIntervalMs ?? HOURLY),
    );
  }

  /** Purges as of `now`; returns how many entries went (0 when another replica is at it). */
  async run(now = new Date()): Promise<number> {
    try {
      const purged = await this.trail.purge(this.dataSource, new Date(now.getTime() - this.options.retentionDays * DAY_MS));
      if (purged) this.logger.log(`purged ${purged} audit entries older than ${this.options.retentionDays} days`);
      return purged;
    } catch (err) {
      this.logger.error(`audit purge failed: ${(err as Error).message}`);
      return 0;
    }
  }
}
