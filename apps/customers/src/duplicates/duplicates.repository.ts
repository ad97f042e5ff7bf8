import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Candidate, DuplicateRule, RuleEntity } from './duplicate.domain';

export interface StoredRule extends DuplicateRule {
  version: number;
  updatedBy: string;
  updatedAt: Date;
}

const RULE_COLUMNS = `id, entity, field, match, threshold::float8 AS threshold, action, enabled, version, updated_by AS "updatedBy", updated_at AS "updatedAt"`;

/** The duplicate rules, and the stored records a check compares a new or edited one with. */
@Injectable()
export class DuplicatesRepository {
  constructor(private readonly dataSource: DataSource) {}

  rules(m: EntityManager = this.dataSource.manager, entity?: RuleEntity): Promise<StoredRule[]> {
    return m.query(`SELECT ${RULE_COLUMNS} FROM duplicate_rules WHERE ($1::text IS NULL OR entity = $1) ORDER BY entity, field`, [entity ?? null]);
  }

  async lockRule(m: EntityManager, id: string): Promise<StoredRule | undefined> {
    const rows: StoredRule[] = await m.query(`SELECT ${RULE_COLUMNS} FROM duplicate_rules WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0];
  }

  async saveRule(m: EntityManager, rule: DuplicateRule, by: string): Promise<StoredRule> {
    // An UPDATE … RETURNING answers [rows, affected count] through TypeORM's query().
    const [rows]: [StoredRule[], number] = await m.query(
      `UPDATE duplicate_rules SET match = $2, threshold = $3, action = $4, enabled = $5, updated_by = $6, version = version + 1, updated_at = now()
        WHERE id = $1 RETURNING ${RULE_COLUMNS}`,
      [rule.id, rule.match, rule.threshold, rule.action, rule.enabled, by],
    );
    return rows[0];
  }

  /**
   * Two checks of one key queue behind each other on these advisory locks, so two saves of one email or one
   * domain at the same moment cannot both miss each other.
   */
  async lockKeys(m: EntityManager, entity: RuleEntity, keys: string[]): Promise<void> {
    for (const key of [...new Set(keys)].sort()) await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${entity}:${key}`]);
  }

  /** Accounts sharing a domain, a similar name (trigram) or a Chinese name bigram; `exceptId` is the one being edited, merged-away ones are no duplicates. */
  async accountCandidates(
    m: EntityManager,
    k: { domains: string[]; name: string; bigrams: string[] },
    minSimilarity: number,
    limit: number,
    exceptId?: string,
  ): Promise<Candidate[]> {
    // `%` compares with this threshold and uses the trigram index; the rules then decide with their own.
    await m.query(`SELECT set_config('pg_trgm.similarity_threshold', $1, true)`, [String(minSimilarity)]);
    return m.query(
      `SELECT id, name AS "displayName", domains, normalized_name AS name, similarity(normalized_name, $2)::float8 AS "nameSimilarity",
              '{}'::text[] AS emails, '{}'::text[] AS phones
         FROM accounts
        WHERE ($5::uuid IS NULL OR id <> $5) AND merged_into IS NULL AND (domains && $1::text[] OR normalized_name % $2 OR name_bigrams && $3::text[])
        ORDER BY created_at, id LIMIT $4`,
      [k.domains, k.name, k.bigrams, limit, exceptId ?? null],
    );
  }

  /** Contacts sharing a normalised email or phone. */
  contactCandidates(m: EntityManager, k: { emails: string[]; phones: string[] }, limit: number, exceptId?: string): Promise<Candidate[]> {
    return m.query(
      `SELECT id, name AS "displayName", normalized_emails AS emails, normalized_phones AS phones, '{}'::text[] AS domains, '' AS name, 0::float8 AS "nameSimilarity"
         FROM contacts
        WHERE ($4::uuid IS NULL OR id <> $4) AND merged_into IS NULL AND (normalized_emails && $1::text[] OR normalized_phones && $2::text[])
        ORDER BY created_at, id LIMIT $3`,
      [k.emails, k.phones, limit, exceptId ?? null],
    );
  }
}
