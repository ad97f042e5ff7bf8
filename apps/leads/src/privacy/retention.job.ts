import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { inTransaction } from '@crm/persistence';
import { DEFAULT_RETENTION, retentionCutoffs, type RetentionSettings } from './lead-erasure.domain';
import { LeadErasureRepository } from './lead-erasure.repository';
import { LeadErasureService } from './lead-erasure.service';

export const RETENTION_SETTINGS = Symbol('RETENTION_SETTINGS');
export const RETENTION_JOB = 'lead-retention-erasure';
const RETENTION_LOCK = 7_340_417;
const BATCH = 100;
/** At most this many batches a pass: a backlog (a first run over years of leads) drains over a few passes. */
const MAX_BATCHES = 20;
const SCAN_INTERVAL_MS = 3_600_000;

/**
 * Erases the leads whose retention period ended (RETENTION_DISQUALIFIED_LEADS_DAYS after a disqualification,
 * RETENTION_UNCONVERTED_LEADS_DAYS without a follow-up or a change for a lead never converted), each like an erasure
 * on request with reason `retention` by `system`. One replica runs a pass: each batch's transaction takes an
 * advisory lock first, and claims its leads with SKIP LOCKED. Converted leads stay: their person is a contact.
 */
@Injectable()
export class LeadRetentionJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(LeadRetentionJob.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly erasure: LeadErasureService,
    private readonly leads: LeadErasureRepository,
    @Optional() @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry | null = null,
    @Optional() @Inject(RETENTION_SETTINGS) private readonly settings: RetentionSettings = DEFAULT_RETENTION,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler?.addInterval(
      RETENTION_JOB,
      setInterval(() => void this.run().catch((err: Error) => this.logger.error(`retention pass failed: ${err.message}`)), SCAN_INTERVAL_MS),
    );
  }

  /** One pass as of `now`; returns how many leads were erased (0 when another replica holds the lock). */
  async run(now = new Date()): Promise<number> {
    const { disqualifiedBefore, untouchedBefore } = retentionCutoffs(this.settings, now);
    let erased = 0;
    for (let i = 0; i < MAX_BATCHES; i++) {
      const batch = await inTransaction(this.dataSource, async (m) => {
        if (!(await this.leads.tryLock(m, RETENTION_LOCK))) return { erased: 0, more: false };
        let due = disqualifiedBefore ? await this.leads.claimDisqualified(m, disqualifiedBefore, BATCH) : [];
        if (due.length < BATCH && untouchedBefore) {
          const taken = new Set(due.map((l) => l.id));
          const stale = await this.leads.claimUntouched(m, untouchedBefore, BATCH - due.length);
          due = [...due, ...stale.filter((l) => !taken.has(l.id))];
        }
        let count = 0;
        for (const lead of due) if (await this.erasure.eraseOne(m, lead, 'retention', 'system', now)) count++;
        return { erased: count, more: due.length === BATCH };
      });
      erased += batch.erased;
      if (!batch.more) break;
    }
    if (erased) this.logger.log(`retention: ${erased} lead(s) erased`);
    return erased;
  }
}
