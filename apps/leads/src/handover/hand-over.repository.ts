import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { EventEnvelope } from '@crm/contracts';
import type { Decision, HandOverTarget } from '@crm/domain';
import { restrictToScope, type AuthUser } from '@crm/http';
import { appendToOutbox } from '@crm/messaging';
import { LeadEntity } from '../leads/lead.entities';
import type { LeadMove, LeadToHandOver, RepHandOver } from './hand-over.domain';

const LEAD = `l.id, l.status, l.owner_rep_id AS "ownerRepId", l.version, l.first_followed_up_at AS "firstFollowedUpAt",
              l.first_follow_up_due_at AS "firstFollowUpDueAt", r.follow_up_hours AS "followUpHours", l.erased_at AS "erasedAt"`;

/**
 * The SQL of a hand-over: the leads, their owners' load and history, the hand-over records. Locks follow the
 * assignment's order (the lead, then the reps in id order), so a hand-over and an intake never deadlock.
 */
@Injectable()
export class HandOverRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The caller's lead under a row lock, with its rule's follow-up hours; undefined when absent or not theirs. */
  async lockVisibleLead(m: EntityManager, user: AuthUser, id: string): Promise<LeadToHandOver | undefined> {
    const visible = await restrictToScope(m.getRepository(LeadEntity).createQueryBuilder('lead'), user, { rep: 'lead.ownerRepId', team: 'lead.team' })
      .select('lead.id')
      .andWhere('lead.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
    if (!visible) return undefined;
    const [lead]: LeadToHandOver[] = await m.query(`SELECT ${LEAD} FROM leads l LEFT JOIN assignment_rules r ON r.id = l.rule_id WHERE l.id = $1`, [id]);
    return lead;
  }

  /** Every open lead a rep owns, locked in id order. */
  openLeadsOf(m: EntityManager, repId: string): Promise<LeadToHandOver[]> {
    return m.query(
      `SELECT ${LEAD} FROM leads l LEFT JOIN assignment_rules r ON r.id = l.rule_id
        WHERE l.owner_rep_id = $1 AND l.status NOT IN ('disqualified', 'converted') ORDER BY l.id FOR UPDATE OF l`,
      [repId],
    );
  }

  /** The reps as a hand-over checks them, locked in id order (their load changes); a missing one is absent. */
  async lockReps(m: EntityManager, ids: readonly (string | null)[]): Promise<Map<string, HandOverTarget>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))].sort();
    const rows: HandOverTarget[] = await m.query('SELECT id, name, team, active FROM reps WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [wanted]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** A rep as the directory has them, unlocked (who may hand over whose work). */
  async rep(m: EntityManager, id: string): Promise<HandOverTarget | undefined> {
    const [rep]: HandOverTarget[] = await m.query('SELECT id, name, team, active FROM reps WHERE id = $1', [id]);
    return rep;
  }

  /** Moves one lead: its owner, team and deadline, a history row. The reps' load moves with `moveLoad`. */
  async saveMove(m: EntityManager, c: LeadMove): Promise<void> {
    await m.query(
      `UPDATE leads SET owner_rep_id = $2, team = $3, assigned_at = $4, first_follow_up_due_at = $5, version = version + 1, updated_at = now() WHERE id = $1`,
      [c.leadId, c.toRepId, c.team, c.at, c.deadline],
    );
    await m.query(
      `INSERT INTO assignments (lead_id, rep_id, previous_rep_id, rule_id, kind, reason, deadline, by, at) VALUES ($1, $2, $3, NULL, 'hand_over', $4, $5, $6, $7)`,
      [c.leadId, c.toRepId, c.fromRepId, c.historyReason, c.deadline, c.by, c.at],
    );
  }

  /**
   * The load of `count` leads moves from one rep to the other. Unlike an assignment it ignores the new owner's
   * capacity: a manager's hand-over is not refused for it, and the rules give that rep nothing new until it drops.
   */
  async moveLoad(m: EntityManager, fromRepId: string, toRepId: string, count: number): Promise<void> {
    if (!count) return;
    await m.query('UPDATE reps SET open_leads = GREATEST(open_leads - $2, 0) WHERE id = $1', [fromRepId, count]);
    await m.query('UPDATE reps SET open_leads = open_leads + $2 WHERE id = $1', [toRepId, count]);
  }

  loadLead(m: EntityManager, id: string): Promise<LeadEntity> {
    return m.findOneOrFail(LeadEntity, { where: { id } });
  }

  /** Keeps the hand-over and appends the leads' events, then its own, to the outbox. */
  async saveHandOver(m: EntityManager, { changes: h, events }: Decision<RepHandOver>, leadEvents: readonly EventEnvelope[]): Promise<void> {
    await m.query('INSERT INTO hand_overs (id, from_rep_id, to_rep_id, reason, kinds, leads_moved, by, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      h.id,
      h.fromRepId,
      h.toRepId,
      h.reason,
      h.kinds,
      h.leadsMoved,
      h.by,
      h.at,
    ]);
    await appendToOutbox(m, [...leadEvents, ...events]);
  }

  async handOver(id: string): Promise<(RepHandOver & { fromTeam: string | null; toTeam: string | null }) | undefined> {
    const [row]: (RepHandOver & { fromTeam: string | null; toTeam: string | null })[] = await this.dataSource.query(
      `SELECT h.id, h.from_rep_id AS "fromRepId", h.to_rep_id AS "toRepId", h.reason, h.kinds, h.leads_moved AS "leadsMoved", h.by, h.at,
              f.team AS "fromTeam", t.team AS "toTeam"
         FROM hand_overs h JOIN reps f ON f.id = h.from_rep_id JOIN reps t ON t.id = h.to_rep_id WHERE h.id = $1`,
      [id],
    );
    return row;
  }
}
