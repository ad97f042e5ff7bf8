import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { MetricsRegistry } from '@crm/observability';
import { inTransaction } from '@crm/persistence';
import { AssignmentRepository } from './assignment.repository';
import { AssignmentService } from './assignment.service';
import { decideFollowUpWarning } from './sla-warning.domain';
import { DEFAULT_SLA_SETTINGS, SLA_SETTINGS, type SlaSettings } from './sla.settings';

const SLA_LOCK = 7_340_402;
const BATCH = 200;
export const SLA_JOB = 'lead-sla-reassignment';

/**
 * Re-assigns leads whose owner logged no follow-up by the deadline, once per deadline. An advisory lock keeps
 * two replicas from scanning at once, each lead is re-read under its row lock, and the assignments' unique
 * (lead, breached deadline) key refuses a second re-assignment even if both guards were bypassed.
 * Then warns the owners whose deadline is near (`lead.first_follow_up_due_soon`), once per (lead, deadline),
 * under the same lock, the warning recorded on the lead in the transaction that puts the event in the outbox.
 */
@Injectable()
export class SlaReassignmentJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(SlaReassignmentJob.name);
  private readonly stuck;
  private readonly warned;

  constructor(
    private readonly dataSource: DataSource,
    private readonly assignment: AssignmentService,
    private readonly assignments: AssignmentRepository,
    metrics: MetricsRegistry,
    @Optional() @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry | null = null,
    @Optional() @Inject(SLA_SETTINGS) private readonly settings: SlaSettings = DEFAULT_SLA_SETTINGS,
  ) {
    this.stuck = metrics.counter({ name: 'crm_lead_sla_breaches_unresolved_total', help: 'late leads no other rep could take' });
    this.warned = metrics.counter({ name: 'crm_lead_sla_warnings_total', help: 'owners warned that a first-follow-up deadline is near' });
  }

  onApplicationBootstrap(): void {
    // Every LEADS_SLA_SCAN_INTERVAL_MS; registered with the scheduler so that shutdown clears it with the other jobs.
    this.scheduler?.addInterval(
      SLA_JOB,
      setInterval(() => void this.run(), this.settings.scanIntervalMs),
    );
  }

  async run(): Promise<void> {
    const now = new Date();
    await this.reassignOverdue(now).catch((err: Error) => this.logger.error(`SLA scan failed: ${err.message}`));
    // After the re-assignments, so a new owner whose fresh deadline is already near hears of it on this scan.
    await this.warnDueSoon(now).catch((err: Error) => this.logger.error(`SLA warning scan failed: ${err.message}`));
  }

  /** Scans as of `now`; returns how many leads moved (0 when another replica holds the lock). */
  async reassignOverdue(now = new Date()): Promise<number> {
    let moved = 0;
    type Cursor = { due: string; id: string } | null;
    let after: Cursor = null;
    for (;;) {
      const batch: { moved: number; last: Cursor; more: boolean } = await inTransaction(this.dataSource, async (m) => {
        if (!(await this.assignments.tryLock(m, SLA_LOCK))) return { moved: 0, last: null, more: false };
        const due = await this.assignments.claimOverdue(m, now, after, BATCH);
        let count = 0;
        for (const lead of due) {
          const outcome = await this.assignment.assign(m, lead, {
            kind: 'sla_breach',
            by: 'system',
            now,
            excludeRepId: lead.ownerRepId,
            fallbackTeam: lead.team,
            breachedDeadline: lead.firstFollowUpDueAt,
          });
          if (outcome.assigned) count++;
          else {
            // Stays with its owner; the next scan tries again as reps free up.
            this.stuck.inc();
            this.logger.warn(`lead ${lead.id} missed its follow-up deadline but nobody else can take it: ${outcome.reason}`);
          }
        }
        const last = due.at(-1);
        return { moved: count, last: last ? { due: last.dueText, id: last.id } : null, more: due.length === BATCH };
      });
      moved += batch.moved;
      if (!batch.more || !batch.last) break;
      after = batch.last;
    }
    return moved;
  }

  /** Warns as of `now` the owners whose deadline is within the warning window; returns how many were warned. */
  async warnDueSoon(now = new Date()): Promise<number> {
    const { warningMs } = this.settings;
    if (warningMs <= 0) return 0;
    const until = new Date(now.getTime() + warningMs);
    let warned = 0;
    type Cursor = { due: string; id: string } | null;
    let after: Cursor = null;
    for (;;) {
      const batch: { warned: number; last: Cursor; more: boolean } = await inTransaction(this.dataSource, async (m) => {
        if (!(await this.assignments.tryLock(m, SLA_LOCK))) return { warned: 0, last: null, more: false };
        const soon = await this.assignments.claimDueSoon(m, now, until, after, BATCH);
        let count = 0;
        for (const lead of soon) {
          const { changes, events } = decideFollowUpWarning(lead, now, warningMs);
          if (changes.warn && (await this.assignments.recordWarning(m, lead.id, lead.dueText, events))) count++;
        }
        const last = soon.at(-1);
        return { warned: count, last: last ? { due: last.dueText, id: last.id } : null, more: soon.length === BATCH };
      });
      warned += batch.warned;
      this.warned.inc(batch.warned);
      if (!batch.more || !batch.last) break;
      after = batch.last;
    }
    return warned;
  }
}
