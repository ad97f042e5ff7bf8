import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '@crm/domain';
import { MetricsRegistry } from '@crm/observability';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import type { LeadFacts } from './assignment.domain';
import { assignmentTarget, decideAssignment, type AssignOptions, type LeadToAssign } from './lead-assignment.domain';
import { decideRescore } from './rescore.domain';
import { AssignmentRepository } from './assignment.repository';
import { DEFAULT_SLA_SETTINGS, SLA_SETTINGS, type SlaSettings } from './sla.settings';

export type { AssignmentKind, AssignOptions, LeadToAssign } from './lead-assignment.domain';

export type AssignOutcome = { assigned: true; repId: string; team: string | null; reason: string; deadline: Date } | { assigned: false; reason: string };

const RETRY_LOCK = 7_340_401;
const RETRY_BATCH = 100;

/** Assignment as a use case: the rules decide over the locked reps, the repository stores it with its event. */
@Injectable()
export class AssignmentService {
  private readonly logger = new Logger(AssignmentService.name);
  private readonly assignedCounter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly assignments: AssignmentRepository,
    metrics: MetricsRegistry,
    @Optional() @Inject(SLA_SETTINGS) private readonly sla: SlaSettings = DEFAULT_SLA_SETTINGS,
  ) {
    this.assignedCounter = metrics.counter({
      name: 'crm_lead_assignments_total',
      help: 'lead assignments by kind and outcome',
      labelNames: ['kind', 'outcome'],
    });
  }

  /** Assigns (or re-assigns) a lead in the caller's transaction, the caller holding its row lock. */
  async assign(m: EntityManager, lead: LeadToAssign, opts: AssignOptions): Promise<AssignOutcome> {
    const changes = await loadDecideSave(m, {
      load: async (m) => {
        const rules = opts.repId ? [] : await this.assignments.activeRules(m);
        const candidates = await this.assignments.lockCandidates(m, assignmentTarget(rules, lead, opts.repId), opts.fallbackTeam ?? null, lead.ownerRepId);
        return { version: lead.version, lead, rules, candidates };
      },
      notFound: () => DomainError.notFound('lead', lead.id),
      decide: (state) => decideAssignment(state, opts, this.sla.hourMs),
      save: async (m, _state, changes) => {
        await this.assignments.save(m, lead.id, changes);
        return changes;
      },
    });
    this.assignedCounter.inc({ kind: opts.kind, outcome: changes.assigned ? 'assigned' : 'unassigned' });
    return changes.assigned
      ? { assigned: true, repId: changes.repId, team: changes.team, reason: changes.reason, deadline: changes.deadline }
      : { assigned: false, reason: changes.reason };
  }

  /** A closed or moved lead no longer weighs on its rep. */
  release(m: EntityManager, repId: string | null): Promise<void> {
    return this.assignments.release(m, repId);
  }

  /**
   * After a change to what the rules look at (the quality score, region, product interest, company size), in
   * the caller's transaction holding the lead's row lock: `decideRescore` says whether the lead moves, and a
   * move is an assignment like any other (the new rule's target, lowest load, a fresh first-follow-up deadline).
   * Every path that changes those facts comes here. A move nobody can take leaves the lead with its owner.
   */
  async afterRescore(m: EntityManager, before: LeadFacts, lead: LeadToAssign, by: string, now: Date): Promise<AssignOutcome | undefined> {
    const rules = await this.assignments.activeRules(m);
    const owner = lead.ownerRepId ? await this.assignments.rep(m, lead.ownerRepId) : null;
    if (lead.ownerRepId && !owner) throw new Error(`lead ${lead.id} is owned by rep ${lead.ownerRepId}, who does not exist`);
    const decision = decideRescore(rules, { status: lead.status, ownerRepId: lead.ownerRepId, before, after: lead }, owner ?? null);
    if (decision.kind === 'keep') return undefined;
    const { note, scoreChange } = decision;
    if (decision.kind === 'retry') {
      const outcome = await this.assign(m, lead, { kind: 'retry', by, now, note, scoreChange });
      if (!outcome.assigned) await this.assignments.noteUnassigned(m, lead.id, outcome.reason);
      return outcome;
    }
    const outcome = await this.assign(m, lead, { kind: 'quality', by, now, excludeRepId: decision.excludeRepId, note, scoreChange });
    if (!outcome.assigned) this.logger.warn(`lead ${lead.id} should move (${note}) but nobody can take it: ${outcome.reason}`);
    return outcome;
  }

  /** The team of a rep, null for none, undefined when there is no such rep. */
  async teamOf(m: EntityManager, repId: string): Promise<string | null | undefined> {
    return (await this.assignments.rep(m, repId))?.team;
  }

  history(leadId: string) {
    return this.assignments.history(leadId);
  }

  @Interval('lead-unassigned-retry', 60_000)
  async retryJob(): Promise<void> {
    await this.retryUnassigned().catch((err: Error) => this.logger.error(`unassigned retry failed: ${err.message}`));
  }

  /**
   * Gives queued leads a rep now that capacity may have freed up, oldest first. One replica at a time
   * (advisory lock); returns how many were assigned (0 when another replica is at it).
   */
  async retryUnassigned(now = new Date()): Promise<number> {
    let assigned = 0;
    type Cursor = { createdAt: string; id: string } | null;
    let after: Cursor = null;
    for (;;) {
      const batch: { assigned: number; last: Cursor; more: boolean } = await inTransaction(this.dataSource, async (m) => {
        if (!(await this.assignments.tryLock(m, RETRY_LOCK))) return { assigned: 0, last: null, more: false };
        const queued = await this.assignments.claimQueued(m, after, RETRY_BATCH);
        let count = 0;
        for (const lead of queued) {
          const outcome = await this.assign(m, lead, { kind: 'retry', by: 'system', now });
          if (outcome.assigned) count++;
          else await this.assignments.noteUnassigned(m, lead.id, outcome.reason);
        }
        const last = queued.at(-1);
        return { assigned: count, last: last ? { createdAt: last.createdAt, id: last.id } : null, more: queued.length === RETRY_BATCH };
      });
      assigned += batch.assigned;
      if (!batch.more || !batch.last) break;
      after = batch.last;
    }
    return assigned;
  }
}
