import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { EventEnvelope } from '@crm/contracts';
import { appendToOutbox } from '@crm/messaging';
import type { Candidate, Rule, RuleTarget } from './assignment.domain';
import type { AssignmentChanges, LeadToAssign } from './lead-assignment.domain';
import { AssignmentEntity } from './rule.entity';
import type { WatchedLead } from './sla-warning.domain';

const REP_COLUMNS = `id, name, team, capacity, open_leads AS "openLeads", active, away, last_assigned_at AS "lastAssignedAt"`;
const LEAD_TO_ASSIGN = `id, status, version, owner_rep_id AS "ownerRepId", region, product_interest AS "productInterest", source, company_size AS "companySize", score`;

/** A late lead as the SLA scan claims it, with its deadline as text for an exact keyset cursor. */
export interface DueLead extends LeadToAssign {
  team: string | null;
  firstFollowUpDueAt: Date;
  dueText: string;
}

/** A lead whose deadline is near, as the warning scan claims it, with its deadline as text for the cursor and the guard. */
export interface WarnableLead extends WatchedLead {
  dueText: string;
}

/** A queued lead as the retry claims it. */
export interface QueuedLead extends LeadToAssign {
  createdAt: string;
}

/**
 * Who owns which lead: the reps' load, the assignment history and the lead's owner, always changed together.
 * The reps a decision could touch are locked `FOR UPDATE` in id order, so concurrent intakes queue on them
 * instead of both seeing the same spare capacity, and never deadlock on each other.
 */
@Injectable()
export class AssignmentRepository {
  constructor(private readonly dataSource: DataSource) {}

  activeRules(m: EntityManager): Promise<Rule[]> {
    return m.query(
      `SELECT id, name, position, match, target, follow_up_hours AS "followUpHours", active FROM assignment_rules WHERE active ORDER BY position, id`,
    );
  }

  /** Locks, in id order, every rep this decision could read or change. */
  async lockCandidates(m: EntityManager, target: RuleTarget | undefined, fallbackTeam: string | null, previous: string | null): Promise<Candidate[]> {
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
    return m.query(`SELECT ${REP_COLUMNS} FROM reps WHERE ${conditions.join(' OR ')} ORDER BY id FOR UPDATE`, params);
  }

  /** The rep as the rules see them; undefined when there is no such rep. */
  async rep(m: EntityManager, id: string): Promise<Candidate | undefined> {
    const [rep]: Candidate[] = await m.query(`SELECT ${REP_COLUMNS} FROM reps WHERE id = $1`, [id]);
    return rep;
  }

  /** Stores an assignment: the new owner's load, the previous owner's, the history row and the lead's owner and deadline. */
  async save(m: EntityManager, leadId: string, c: AssignmentChanges): Promise<void> {
    if (!c.assigned) return;
    const [, taken]: [unknown, number] = await m.query(
      'UPDATE reps SET open_leads = open_leads + 1, last_assigned_at = $2 WHERE id = $1 AND open_leads < capacity',
      [c.repId, c.at],
    );
    // The row is locked and was checked: a miss here is a bug, not a race, and must never over-assign.
    if (taken !== 1) throw new Error(`rep ${c.repId} lost capacity under lock`);
    if (c.releasePrevious) await this.release(m, c.previousRepId);
    await m.query(
      `INSERT INTO assignments (lead_id, rep_id, previous_rep_id, rule_id, kind, reason, deadline, breached_deadline, by, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [leadId, c.repId, c.previousRepId, c.ruleId, c.kind, c.reason, c.deadline, c.breachedDeadline, c.by, c.at],
    );
    await m.query(
      `UPDATE leads SET owner_rep_id = $2, team = $3, rule_id = COALESCE($4, rule_id), unassigned_reason = NULL, assigned_at = $5,
              first_follow_up_due_at = $6, status = CASE WHEN status IN ('new', 'unassigned') THEN 'assigned' ELSE status END,
              version = version + 1, updated_at = now()
        WHERE id = $1`,
      [leadId, c.repId, c.team, c.ruleId, c.at, c.deadline],
    );
  }

  /** A closed or moved lead no longer weighs on its rep. */
  async release(m: EntityManager, repId: string | null): Promise<void> {
    if (repId) await m.query('UPDATE reps SET open_leads = open_leads - 1 WHERE id = $1 AND open_leads > 0', [repId]);
  }

  /** A transaction-scoped advisory lock, or false when another replica holds it. */
  async tryLock(m: EntityManager, key: number): Promise<boolean> {
    const [{ locked }]: { locked: boolean }[] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [key]);
    return locked;
  }

  /** The next queued leads after the cursor, oldest first, that no other transaction holds. */
  claimQueued(m: EntityManager, after: { createdAt: string; id: string } | null, limit: number): Promise<QueuedLead[]> {
    return m.query(
      `SELECT ${LEAD_TO_ASSIGN}, created_at::text AS "createdAt"
         FROM leads WHERE status = 'unassigned' AND ($1::timestamptz IS NULL OR (created_at, id) > ($1::timestamptz, $2::uuid))
        ORDER BY created_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [after?.createdAt ?? null, after?.id ?? null, limit],
    );
  }

  /** Why a queued lead is still waiting. */
  async noteUnassigned(m: EntityManager, leadId: string, reason: string): Promise<void> {
    await m.query('UPDATE leads SET unassigned_reason = $2 WHERE id = $1', [leadId, reason]);
  }

  /** The next leads past their first-follow-up deadline as of `now`, after the cursor, that no other transaction holds. */
  claimOverdue(m: EntityManager, now: Date, after: { due: string; id: string } | null, limit: number): Promise<DueLead[]> {
    return m.query(
      `SELECT ${LEAD_TO_ASSIGN}, team, first_follow_up_due_at AS "firstFollowUpDueAt", first_follow_up_due_at::text AS "dueText"
         FROM leads
        WHERE status = 'assigned' AND first_followed_up_at IS NULL AND first_follow_up_due_at <= $1
          AND ($2::timestamptz IS NULL OR (first_follow_up_due_at, id) > ($2::timestamptz, $3::uuid))
        ORDER BY first_follow_up_due_at, id LIMIT $4 FOR UPDATE SKIP LOCKED`,
      [now, after?.due ?? null, after?.id ?? null, limit],
    );
  }

  /**
   * The next leads waiting for their first follow-up whose deadline is after `now` and no later than `until`,
   * not yet warned about that deadline, after the cursor, that no other transaction holds.
   */
  claimDueSoon(m: EntityManager, now: Date, until: Date, after: { due: string; id: string } | null, limit: number): Promise<WarnableLead[]> {
    return m.query(
      `SELECT id, status, owner_rep_id AS "ownerRepId", team, first_follow_up_due_at AS "firstFollowUpDueAt",
              first_followed_up_at AS "firstFollowedUpAt", first_follow_up_warned_for AS "warnedFor", first_follow_up_due_at::text AS "dueText"
         FROM leads
        WHERE status = 'assigned' AND first_followed_up_at IS NULL AND first_follow_up_due_at > $1 AND first_follow_up_due_at <= $2
          AND first_follow_up_warned_for IS DISTINCT FROM first_follow_up_due_at
          AND ($3::timestamptz IS NULL OR (first_follow_up_due_at, id) > ($3::timestamptz, $4::uuid))
        ORDER BY first_follow_up_due_at, id LIMIT $5 FOR UPDATE SKIP LOCKED`,
      [now, until, after?.due ?? null, after?.id ?? null, limit],
    );
  }

  /**
   * Records that the owner was warned about this deadline, with the warning in the outbox, in the caller's
   * transaction. Guarded on the deadline still being the one warned about and not warned before, so a
   * second warning for one deadline stores and publishes nothing; returns whether it was recorded. The lead's
   * version stays: nothing a client edits changed, and an If-Match edit in flight must not fail over it.
   */
  async recordWarning(m: EntityManager, leadId: string, dueText: string, events: readonly EventEnvelope[]): Promise<boolean> {
    const [, updated]: [unknown, number] = await m.query(
      `UPDATE leads SET first_follow_up_warned_for = first_follow_up_due_at
        WHERE id = $1 AND first_follow_up_due_at = $2::timestamptz AND first_follow_up_warned_for IS DISTINCT FROM first_follow_up_due_at`,
      [leadId, dueText],
    );
    if (updated !== 1) return false;
    await appendToOutbox(m, events);
    return true;
  }

  /** A lead's assignment history, oldest first. */
  history(leadId: string): Promise<AssignmentEntity[]> {
    return this.dataSource.manager.find(AssignmentEntity, { where: { leadId }, order: { id: 'ASC' } });
  }
}
