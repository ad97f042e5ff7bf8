import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { accessScope, paginate, type AuthUser, type Page } from '@crm/http';
import type { MergeKind, MergeRecord, MovedMembership } from './merge.domain';
import { MergeEntity } from './merge.entity';

const TABLE: Record<MergeKind, string> = { account: 'accounts', contact: 'contacts' };

/** The merge records, the merged-away marks and the memberships a merge moves. */
@Injectable()
export class MergesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(m: EntityManager, r: MergeRecord): Promise<void> {
    await m.query(
      `INSERT INTO merges (id, kind, survivor_id, merged_id, survivor_before, merged_data, moved_memberships, merged_by, merged_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [r.id, r.kind, r.survivorId, r.mergedId, JSON.stringify(r.survivorBefore), JSON.stringify(r.mergedData), JSON.stringify(r.moved), r.by, r.at],
    );
  }

  async lock(m: EntityManager, id: string): Promise<MergeEntity | undefined> {
    return (await m.getRepository(MergeEntity).createQueryBuilder('g').where('g.id = :id', { id }).setLock('pessimistic_write').getOne()) ?? undefined;
  }

  /** The latest merge into the survivor that is still in place. */
  async latestInPlace(m: EntityManager, kind: MergeKind, survivorId: string): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      'SELECT id FROM merges WHERE kind = $1 AND survivor_id = $2 AND undone_at IS NULL ORDER BY merged_at DESC, id DESC LIMIT 1',
      [kind, survivorId],
    );
    return rows[0]?.id ?? null;
  }

  async markUndone(m: EntityManager, id: string, by: string, at: Date): Promise<void> {
    await m.query('UPDATE merges SET undone_by = $2, undone_at = $3 WHERE id = $1', [id, by, at]);
  }

  /** Marks the loser merged away (its version moves on, so an edit from before is stale); `into` null un-marks it. */
  async markMerged(m: EntityManager, kind: MergeKind, id: string, into: string | null, at: Date | null): Promise<void> {
    await m.query(`UPDATE ${TABLE[kind]} SET merged_into = $2, merged_at = $3, version = version + 1, updated_at = now() WHERE id = $1`, [id, into, at]);
  }

  /** An account merge: the merged account's current members leave it and join the survivor (unless already there). */
  moveAccountMembers(m: EntityManager, fromId: string, toId: string, now: Date): Promise<MovedMembership[]> {
    return m.query(
      `WITH ended AS (
         UPDATE contact_accounts SET until = $3 WHERE account_id = $1 AND until IS NULL RETURNING contact_id, since
       ), added AS (
         INSERT INTO contact_accounts (contact_id, account_id, since)
         SELECT e.contact_id, $2, $3 FROM ended e
          WHERE NOT EXISTS (SELECT 1 FROM contact_accounts x WHERE x.contact_id = e.contact_id AND x.account_id = $2 AND x.until IS NULL)
         RETURNING contact_id, since
       )
       SELECT e.contact_id AS "contactId", $1::uuid AS "accountId", to_json(e.since) #>> '{}' AS since,
              CASE WHEN a.contact_id IS NULL THEN NULL ELSE json_build_object('contactId', a.contact_id, 'accountId', $2::uuid, 'since', to_json(a.since) #>> '{}') END AS added
         FROM ended e LEFT JOIN added a ON a.contact_id = e.contact_id
        ORDER BY e.contact_id`,
      [fromId, toId, now],
    );
  }

  /** A contact merge: the loser's current memberships end (the survivor joined those accounts in its own save). */
  endContactMemberships(m: EntityManager, contactId: string, now: Date): Promise<{ accountId: string; since: string }[]> {
    return m.query(
      `WITH ended AS (UPDATE contact_accounts SET until = $2 WHERE contact_id = $1 AND until IS NULL RETURNING account_id, since)
       SELECT account_id AS "accountId", to_json(since) #>> '{}' AS since FROM ended ORDER BY account_id`,
      [contactId, now],
    );
  }

  /** Undoes moved memberships: the rows the merge opened go, the ones it ended are current again (not into an account merged away since). */
  async restoreMemberships(m: EntityManager, moved: MovedMembership[]): Promise<void> {
    for (const mv of moved) {
      if (mv.added) {
        await m.query('DELETE FROM contact_accounts WHERE contact_id = $1 AND account_id = $2 AND since = $3', [
          mv.added.contactId,
          mv.added.accountId,
          mv.added.since,
        ]);
      }
      await m.query(
        `UPDATE contact_accounts SET until = NULL WHERE contact_id = $1 AND account_id = $2 AND since = $3
            AND NOT EXISTS (SELECT 1 FROM contact_accounts x WHERE x.contact_id = $1 AND x.account_id = $2 AND x.until IS NULL)
            AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = $2 AND a.merged_into IS NOT NULL)`,
        [mv.contactId, mv.accountId, mv.since],
      );
    }
  }

  /** The scan's pair of the two records, if it found one, is `merged` now (or `open` again after an undo). */
  async markPair(m: EntityManager, kind: MergeKind, a: string, b: string, status: 'merged' | 'open', by: string, at: Date): Promise<void> {
    const [first, second] = [a, b].sort();
    await m.query(
      `UPDATE duplicate_candidates SET status = $4, decided_by = $5, decided_at = $6
        WHERE entity = $1 AND first_id = $2 AND second_id = $3 AND status = ANY($7::text[])`,
      [kind, first, second, status, by, at, status === 'merged' ? ['open', 'dismissed'] : ['merged']],
    );
  }

  /** Merges newest first; a manager sees those into a survivor of their team. */
  list(user: AuthUser, q: { recordId?: string; kind?: MergeKind; limit: number; cursor?: string }): Promise<Page<MergeEntity>> {
    const qb = this.dataSource.getRepository(MergeEntity).createQueryBuilder('g');
    const scope = accessScope(user);
    if (scope.kind !== 'all') {
      const [column, value] = scope.kind === 'team' ? ['team', scope.team] : ['owner_rep_id', scope.repId];
      qb.andWhere(
        `(EXISTS (SELECT 1 FROM accounts a WHERE g.kind = 'account' AND a.id = g.survivor_id AND a.${column}::text = :scopeValue)
          OR EXISTS (SELECT 1 FROM contacts c WHERE g.kind = 'contact' AND c.id = g.survivor_id AND c.${column}::text = :scopeValue))`,
        { scopeValue: value },
      );
    }
    if (q.recordId) qb.andWhere('(g.survivor_id = :recordId OR g.merged_id = :recordId)', { recordId: q.recordId });
    if (q.kind) qb.andWhere('g.kind = :kind', { kind: q.kind });
    return paginate(qb, { sort: { column: 'g.at', direction: 'DESC' }, tieBreaker: 'id', limit: q.limit, cursor: q.cursor });
  }
}
