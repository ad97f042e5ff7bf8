import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { accessScope, paginate, type AuthUser, type Page } from '@crm/http';
import type { RuleEntity } from '../duplicate.domain';
import { DuplicateCandidateEntity } from './candidate.entity';
import type { ProposedPair, ScannedPair, ScanStatus } from './scan.domain';

const SCAN_LOCK = 7_340_417;

/**
 * Set-based SQL for the duplicate scan (every pair of live records sharing a key, in a few joins over the
 * indexes, never one query per record) and the stored pairs.
 */
@Injectable()
export class CandidatesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The scan's transaction-scoped advisory lock; false when another replica is scanning. */
  async tryScanLock(m: EntityManager): Promise<boolean> {
    const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [SCAN_LOCK]);
    return locked;
  }

  /**
   * Pairs of live accounts sharing a domain, a Chinese name bigram, the same name, or (with `minSimilarity`) a
   * trigram similarity the `%` operator finds through the name index. The rules then decide on each pair.
   */
  async accountPairs(m: EntityManager, k: { domain: boolean; exactName: boolean; minSimilarity: number | null }): Promise<ProposedPair[]> {
    const fuzzy = k.minSimilarity !== null;
    // After a bulk import, fresh statistics keep the planner probing the trigram index once per name (it would
    // compare every name with every other), and an empty GIN pending list keeps each probe from reading every
    // recently added name (ms per probe instead of µs). Both are cheap when there is nothing to do.
    await m.query('ANALYZE accounts');
    if (fuzzy) await m.query(`SELECT gin_clean_pending_list('accounts_name_trgm_idx'::regclass)`);
    // Slightly below the rules' threshold: the SQL only proposes, `ruleMatches` decides with the exact one.
    if (fuzzy) await m.query(`SELECT set_config('pg_trgm.similarity_threshold', $1, true)`, [String(Math.max(0, k.minSimilarity! - 0.001))]);
    const keyPairs = (column: string) =>
      `SELECT x.id AS a, y.id AS b
         FROM (SELECT id, unnest(${column}) AS k FROM accounts WHERE merged_into IS NULL) x
         JOIN (SELECT id, unnest(${column}) AS k FROM accounts WHERE merged_into IS NULL) y ON x.k = y.k AND x.id < y.id`;
    return m.query(
      `WITH pairs AS (
         ${keyPairs('domains')} WHERE $1::boolean
         UNION ${keyPairs('name_bigrams')} WHERE $3::boolean
         UNION SELECT x.id, y.id FROM accounts x JOIN accounts y ON y.normalized_name % x.normalized_name AND x.id < y.id
                WHERE $3::boolean AND x.merged_into IS NULL AND y.merged_into IS NULL
         UNION SELECT x.id, y.id FROM accounts x JOIN accounts y ON y.normalized_name = x.normalized_name AND x.id < y.id
                WHERE $2::boolean AND x.merged_into IS NULL AND y.merged_into IS NULL
       )
       SELECT p.a AS "firstId", p.b AS "secondId", similarity(x.normalized_name, y.normalized_name)::float8 AS "nameSimilarity",
              json_build_object('emails', '{}'::text[], 'phones', '{}'::text[], 'domains', x.domains, 'name', x.normalized_name) AS first,
              json_build_object('emails', '{}'::text[], 'phones', '{}'::text[], 'domains', y.domains, 'name', y.normalized_name) AS second
         FROM pairs p JOIN accounts x ON x.id = p.a JOIN accounts y ON y.id = p.b`,
      [k.domain, k.exactName, fuzzy],
    );
  }

  /** Pairs of live contacts sharing a normalised email or phone. */
  contactPairs(m: EntityManager, k: { email: boolean; phone: boolean }): Promise<ProposedPair[]> {
    const keyPairs = (column: string) =>
      `SELECT x.id AS a, y.id AS b
         FROM (SELECT id, unnest(${column}) AS k FROM contacts WHERE merged_into IS NULL) x
         JOIN (SELECT id, unnest(${column}) AS k FROM contacts WHERE merged_into IS NULL) y ON x.k = y.k AND x.id < y.id`;
    return m.query(
      `WITH pairs AS (${keyPairs('normalized_emails')} WHERE $1::boolean UNION ${keyPairs('normalized_phones')} WHERE $2::boolean)
       SELECT p.a AS "firstId", p.b AS "secondId", 0::float8 AS "nameSimilarity",
              json_build_object('emails', x.normalized_emails, 'phones', x.normalized_phones, 'domains', '{}'::text[], 'name', '') AS first,
              json_build_object('emails', y.normalized_emails, 'phones', y.normalized_phones, 'domains', '{}'::text[], 'name', '') AS second
         FROM pairs p JOIN contacts x ON x.id = p.a JOIN contacts y ON y.id = p.b`,
      [k.email, k.phone],
    );
  }

  /**
   * Stores the pairs of one run: a new pair is `open`, a known one keeps its status (a dismissed pair stays
   * dismissed); open pairs of the entity this run did not find any more go. Returns how many pairs were new.
   */
  async save(m: EntityManager, entity: RuleEntity, pairs: ScannedPair[], now: Date): Promise<number> {
    let added = 0;
    if (pairs.length) {
      const rows: { inserted: boolean }[] = await m.query(
        `INSERT INTO duplicate_candidates (id, entity, first_id, second_id, fields, rule_ids, score, found_at, last_seen_at)
         SELECT gen_random_uuid(), $1, f, s, string_to_array(fl, ','), string_to_array(r, ',')::uuid[], sc, $7, $7
           FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::numeric[]) AS t(f, s, fl, r, sc)
         ON CONFLICT (entity, first_id, second_id)
         DO UPDATE SET fields = EXCLUDED.fields, rule_ids = EXCLUDED.rule_ids, score = EXCLUDED.score, last_seen_at = EXCLUDED.last_seen_at
         RETURNING (xmax = 0) AS inserted`,
        [
          entity,
          pairs.map((p) => p.firstId),
          pairs.map((p) => p.secondId),
          pairs.map((p) => p.fields.join(',')),
          pairs.map((p) => p.ruleIds.join(',')),
          pairs.map((p) => p.score),
          now,
        ],
      );
      added = rows.filter((r) => r.inserted).length;
    }
    await m.query(`DELETE FROM duplicate_candidates WHERE entity = $1 AND status = 'open' AND last_seen_at < $2`, [entity, now]);
    return added;
  }

  async openCount(m: EntityManager, entity: RuleEntity): Promise<number> {
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM duplicate_candidates WHERE entity = $1 AND status = 'open'`, [entity]);
    return n;
  }

  /** A manager sees a pair when both records are in their team (they could merge it); admin all. */
  private scoped(user: AuthUser, m: EntityManager = this.dataSource.manager) {
    const qb = m.getRepository(DuplicateCandidateEntity).createQueryBuilder('d');
    const scope = accessScope(user);
    if (scope.kind === 'all') return qb;
    const [column, value] = scope.kind === 'team' ? ['team', scope.team] : ['owner_rep_id', scope.repId];
    const both = (table: string, entity: string) =>
      `(d.entity = '${entity}' AND (SELECT count(*) FROM ${table} r WHERE r.id IN (d.first_id, d.second_id) AND r.${column}::text = :scopeValue) = 2)`;
    return qb.andWhere(`(${both('accounts', 'account')} OR ${both('contacts', 'contact')})`, { scopeValue: value });
  }

  list(user: AuthUser, q: { entity?: RuleEntity; status?: ScanStatus; limit: number; cursor?: string }): Promise<Page<DuplicateCandidateEntity>> {
    const qb = this.scoped(user);
    if (q.entity) qb.andWhere('d.entity = :entity', { entity: q.entity });
    if (q.status) qb.andWhere('d.status = :status', { status: q.status });
    return paginate(qb, { sort: { column: 'd.foundAt', direction: 'DESC' }, tieBreaker: 'id', limit: q.limit, cursor: q.cursor });
  }

  /** Names of the records of the listed pairs (merged-away ones included, with where they went). */
  names(ids: string[]): Promise<{ id: string; name: string; mergedInto: string | null }[]> {
    return this.dataSource.query(
      `SELECT id, name, merged_into AS "mergedInto" FROM accounts WHERE id = ANY($1::uuid[])
       UNION ALL SELECT id, name, merged_into FROM contacts WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  async lockVisible(m: EntityManager, user: AuthUser, id: string): Promise<DuplicateCandidateEntity | undefined> {
    return (await this.scoped(user, m).andWhere('d.id = :id', { id }).setLock('pessimistic_write').getOne()) ?? undefined;
  }

  async decide(m: EntityManager, id: string, status: ScanStatus, by: string, at: Date): Promise<DuplicateCandidateEntity> {
    await m.query('UPDATE duplicate_candidates SET status = $2, decided_by = $3, decided_at = $4 WHERE id = $1', [id, status, by, at]);
    return m.getRepository(DuplicateCandidateEntity).findOneByOrFail({ id });
  }
}
