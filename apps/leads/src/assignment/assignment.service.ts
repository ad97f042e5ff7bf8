import { HttpStatus, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { DataSource, type EntityManager } from 'typeorm';
import { ProblemException } from '@crm/http';
import { appendToOutbox, newEvent } from '@crm/messaging';
import { MetricsRegistry } from '@crm/observability';
import { LOAD_STATUSES, type LeadStatus } from '../leads/lead.domain';
import { chooseRep, decide, followUpDeadline, DEFAULT_FOLLOW_UP_HOURS, type Candidate, type Decision, type LeadFacts, type Rule, type RuleTarget } from './assignment.domain';
import { DEFAULT_SLA_SETTINGS, HOUR_MS, SLA_SETTINGS, type SlaSettings } from './sla.settings';

export type AssignmentKind = 'initial' | 'sla_breach' | 'manual' | 'retry' | 'quality';

/** The lead as the assignment needs it; the caller holds its row lock. */
export interface LeadToAssign extends LeadFacts {
  id: string;
  status: LeadStatus;
  ownerRepId: string | null;
  firstFollowUpDueAt?: Date | null;
}

export interface AssignOptions {
  kind: AssignmentKind;
  by: string;
  now: Date;
  /** Not this rep (the owner who missed the deadline, or the one being moved away from). */
  excludeRepId?: string | null;
  /** A manager's pick, instead of the rules. */
  repId?: string;
  /** When the rules' target has nobody else: the owner's teammates (SLA re-assignment). */
  fallbackTeam?: string | null;
  /** For kind sla_breach: the deadline that was missed (one re-assignment per deadline). */
  breachedDeadline?: Date;
  note?: string;
}

export type AssignOutcome = { assigned: true; repId: string; team: string | null; reason: string; deadline: Date } | { assigned: false; reason: string };

const RETRY_LOCK = 7_340_401;
const RETRY_BATCH = 100;

const REP_COLUMNS = `id, name, team, capacity, open_leads AS "openLeads", active, away, last_assigned_at AS "lastAssignedAt"`;

/**
 * Assignment with the load check made atomic: the reps a decision could touch (the target's eligible reps,
 * the fallback team and the previous owner) are locked `FOR UPDATE` in id order, so concurrent intakes queue
 * on them instead of both seeing the same spare capacity, and never deadlock on each other.
 */
@Injectable()
export class AssignmentService {
  private readonly logger = new Logger(AssignmentService.name);
  private readonly assignedCounter;

  constructor(
    private readonly dataSource: DataSource,
    metrics: MetricsRegistry,
    @Optional() @Inject(SLA_SETTINGS) private readonly sla: SlaSettings = DEFAULT_SLA_SETTINGS,
  ) {
    this.assignedCounter = metrics.counter({ name: 'crm_lead_assignments_total', help: 'lead assignments by kind and outcome', labelNames: ['kind', 'outcome'] });
  }

  async activeRules(m: EntityManager): Promise<Rule[]> {
    const rows: Rule[] = await m.query(
      `SELECT id, name, position, match, target, follow_up_hours AS "followUpHours", active FROM assignment_rules WHERE active ORDER BY position, id`,
    );
    return rows;
  }

  /** Assigns (or re-assigns) a lead in the caller's transaction; events go to the outbox with it. */
  async assign(m: EntityManager, lead: LeadToAssign, opts: AssignOptions): Promise<AssignOutcome> {
    const rules = opts.repId ? [] : await this.activeRules(m);
    const manualTarget: RuleTarget | undefined = opts.repId ? { kind: 'rep', repId: opts.repId } : undefined;
    const facts: LeadFacts = lead;
    const probe = manualTarget ? undefined : decide(rules, [], facts);
    const target = manualTarget ?? probe?.rule?.target;
    const candidates = await this.lockCandidates(m, target, opts.fallbackTeam ?? null, lead.ownerRepId);

    let decision: Decision;
    if (manualTarget) {
      const rep = chooseRep(manualTarget, candidates, { excludeRepId: opts.excludeRepId });
      const manual: Rule = { id: '', name: 'manual', position: 0, match: {}, target: manualTarget, followUpHours: DEFAULT_FOLLOW_UP_HOURS, active: true };
      decision = rep
        ? { kind: 'assigned', rule: manual, rep, reason: `chosen by ${opts.by}${opts.note ? `: ${opts.note}` : ''}`, followUpHours: manual.followUpHours }
        : { kind: 'unassigned', reason: `rep ${opts.repId} is unknown, inactive, away, at capacity or already the owner` };
    } else {
      decision = decide(rules, candidates, facts, { excludeRepId: opts.excludeRepId });
      if (decision.kind === 'unassigned' && opts.fallbackTeam) {
        const rep = chooseRep({ kind: 'team', team: opts.fallbackTeam }, candidates, { excludeRepId: opts.excludeRepId });
        if (rep) {
          const rule = decision.rule ?? { id: '', name: 'team fallback', position: 0, match: {}, target: { kind: 'team', team: opts.fallbackTeam }, followUpHours: DEFAULT_FOLLOW_UP_HOURS, active: true };
          decision = { kind: 'assigned', rule, rep, reason: `${decision.reason}; fell back to team ${opts.fallbackTeam}, lowest load ${rep.openLeads}/${rep.capacity}`, followUpHours: rule.followUpHours };
        }
      }
    }

    if (decision.kind === 'unassigned') {
      this.assignedCounter.inc({ kind: opts.kind, outcome: 'unassigned' });
      return { assigned: false, reason: decision.reason };
    }

    const rep = decision.rep;
    const reason = !manualTarget && opts.note ? `${decision.reason} (${opts.kind} by ${opts.by}: ${opts.note})` : decision.reason;
    const [, taken]: [unknown, number] = await m.query(
      'UPDATE reps SET open_leads = open_leads + 1, last_assigned_at = $2 WHERE id = $1 AND open_leads < capacity',
      [rep.id, opts.now],
    );
    // The row is locked and was checked: a miss here is a bug, not a race, and must never over-assign.
    if (taken !== 1) throw new Error(`rep ${rep.id} lost capacity under lock`);
    const previous = lead.ownerRepId;
    if (previous && LOAD_STATUSES.includes(lead.status)) {
      await m.query('UPDATE reps SET open_leads = open_leads - 1 WHERE id = $1 AND open_leads > 0', [previous]);
    }
    const deadline = followUpDeadline(opts.now, (decision.followUpHours * this.sla.hourMs) / HOUR_MS);
    const ruleId = decision.rule.id || null;
    await m.query(
      `INSERT INTO assignments (lead_id, rep_id, previous_rep_id, rule_id, kind, reason, deadline, breached_deadline, by, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [lead.id, rep.id, previous, ruleId, opts.kind, reason, deadline, opts.breachedDeadline ?? null, opts.by, opts.now],
    );
    await m.query(
      `UPDATE leads SET owner_rep_id = $2, team = $3, rule_id = COALESCE($4, rule_id), unassigned_reason = NULL, assigned_at = $5,
              first_follow_up_due_at = $6, status = CASE WHEN status IN ('new', 'unassigned') THEN 'assigned' ELSE status END,
              version = version + 1, updated_at = now()
        WHERE id = $1`,
      [lead.id, rep.id, rep.team, ruleId, opts.now, deadline],
    );
    const at = opts.now.toISOString();
    const due = deadline.toISOString();
    if (previous) {
      const reason = opts.kind === 'sla_breach' ? 'sla_breach' : opts.kind === 'quality' ? 'lead_quality' : 'manual';
      await appendToOutbox(m, [
        newEvent('lead.reassigned', { subject: lead.id, data: { leadId: lead.id, fromRepId: previous, toRepId: rep.id, reason, reassignedAt: at, firstFollowUpDueAt: due } }),
      ]);
    } else {
      await appendToOutbox(m, [
        newEvent('lead.assigned', {
          subject: lead.id,
          data: { leadId: lead.id, repId: rep.id, team: rep.team ?? undefined, rule: decision.rule.name, assignedAt: at, firstFollowUpDueAt: due },
        }),
      ]);
    }
    this.assignedCounter.inc({ kind: opts.kind, outcome: 'assigned' });
    return { assigned: true, repId: rep.id, team: rep.team, reason, deadline };
  }

  /** A closed or moved lead no longer weighs on its rep. */
  async release(m: EntityManager, repId: string | null): Promise<void> {
    if (repId) await m.query('UPDATE reps SET open_leads = open_leads - 1 WHERE id = $1 AND open_leads > 0', [repId]);
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
      const batch: { assigned: number; last: Cursor; more: boolean } = await this.dataSource.transaction(async (m) => {
        const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [RETRY_LOCK]);
        if (!locked) return { assigned: 0, last: null, more: false };
        const queued: (LeadToAssign & { createdAt: string })[] = await m.query(
          `SELECT id, status, owner_rep_id AS "ownerRepId", region, product_interest AS "productInterest", source,
                  company_size AS "companySize", created_at::text AS "createdAt"
             FROM leads WHERE status = 'unassigned' AND ($1::timestamptz IS NULL OR (created_at, id) > ($1::timestamptz, $2::uuid))
            ORDER BY created_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
          [after?.createdAt ?? null, after?.id ?? null, RETRY_BATCH],
        );
        let count = 0;
        for (const lead of queued) {
          const outcome = await this.assign(m, lead, { kind: 'retry', by: 'system', now });
          if (outcome.assigned) count++;
          else await m.query('UPDATE leads SET unassigned_reason = $2 WHERE id = $1', [lead.id, outcome.reason]);
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

  /** Locks, in id order, every rep this decision could read or change. */
  private async lockCandidates(m: EntityManager, target: RuleTarget | undefined, fallbackTeam: string | null, previous: string | null): Promise<Candidate[]> {
    const eligible = 'active AND NOT away AND open_leads < capacity';
    const conditions: string[] = [];
    const params: unknown[] = [];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (target?.kind === 'rep') conditions.push(`(id = ${param(target.repId)} AND ${eligible})`);
    if (target?.kind === 'team') conditions.push(`(team = ${param(target.team)} AND ${eligible})`);
    if (target?.kind === 'pool') conditions.push(`(id = ANY(${param(target.repIds)}::uuid[]) AND ${eligible})`);
    if (fallbackTeam) conditions.push(`(team = ${param(fallbackTeam)} AND ${eligible})`);
    if (previous) conditions.push(`id = ${param(previous)}`);
    if (!conditions.length) return [];
    const rows: Candidate[] = await m.query(`SELECT ${REP_COLUMNS} FROM reps WHERE ${conditions.join(' OR ')} ORDER BY id FOR UPDATE`, params);
    return rows;
  }
}

export const noEligibleRep = (reason: string) =>
  new ProblemException({ status: HttpStatus.CONFLICT, code: 'NO_ELIGIBLE_REP', detail: `No rep can take the lead: ${reason}.` });
