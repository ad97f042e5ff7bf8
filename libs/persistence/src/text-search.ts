import type { ObjectLiteral, QueryRunner, SelectQueryBuilder } from 'typeorm';

/**
 * Text search over one lower-cased `search_text` column, the same way in every service: a GIN trigram index
 * serves a fragment of three or more characters anywhere in the text (Latin or Chinese), and a GIN index of
 * neighbouring Chinese character pairs serves a two-character Chinese fragment ("王伟", "华为"), which has no
 * trigram. The LIKE always decides; the pair condition only lets the planner use that index.
 */

/** Shorter than this (after trimming) is refused: one character matches nearly everything and no index serves it. */
export const SEARCH_MIN_LENGTH = 2;
export const SEARCH_MAX_LENGTH = 100;

/** The fragment as typed, normalised as the search text is: full-width forms folded (NFKC), trimmed. */
export function normalizeFragment(q: string): string {
  return q.normalize('NFKC').trim();
}

/** Why a fragment cannot be searched, or undefined when it can. */
export function searchFragmentProblem(q: string): string | undefined {
  const length = [...normalizeFragment(q)].length;
  if (length < SEARCH_MIN_LENGTH) return `q must be at least ${SEARCH_MIN_LENGTH} characters (a single character matches nearly every row)`;
  if (length > SEARCH_MAX_LENGTH) return `q must be at most ${SEARCH_MAX_LENGTH} characters`;
  return undefined;
}

/** A search fragment as a LIKE pattern over the lower-cased search text: `%` and `_` typed by a user are literal. */
export function likeFragment(q: string): string {
  const text = normalizeFragment(q).toLowerCase();
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The digits of a phone fragment ("138-0013" → "1380013"), or undefined when it is not one. */
export function phoneFragment(q: string): string | undefined {
  if (!/^[\d\s()+.-]+$/.test(q)) return undefined;
  const digits = q.replace(/\D/g, '');
  return digits.length >= 3 ? `%${digits}%` : undefined;
}

/** The same ranges as `search_han_pairs` below: CJK Unified Ideographs and Extension A. */
const HAN_PAIR = /^[\u3400-\u4dbf\u4e00-\u9fff]{2}$/;

/** A two-character Chinese fragment ("华为"), too short for a trigram: looked up by the indexed character pairs. */
export function hanPair(q: string): string | undefined {
  const text = normalizeFragment(q);
  return HAN_PAIR.test(text) ? text : undefined;
}

/**
 * Narrows a list to the rows whose search text holds the fragment. `column` is the SQL of the search text
 * (`lead.search_text`), written by the repository, never taken from input. Phone fragments also match their
 * digits however they were typed ("138-0013" finds "+86 138 0013 8000").
 */
export function whereTextMatches<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, column: string, q: string): SelectQueryBuilder<T> {
  const digits = phoneFragment(q);
  const like = digits ? `(${column} LIKE :searchLike OR ${column} LIKE :searchDigits)` : `${column} LIKE :searchLike`;
  qb.andWhere(like, { searchLike: likeFragment(q), searchDigits: digits });
  const pair = hanPair(q);
  if (pair) qb.andWhere(`search_han_pairs(${column}) @> ARRAY[:searchPair]::text[]`, { searchPair: pair });
  return qb;
}

/**
 * Every pair of neighbouring Chinese characters of a text. The same definition the customers service created
 * first (its migration 1765411200000); `CREATE OR REPLACE` so a database that has it keeps one copy.
 */
export const SEARCH_HAN_PAIRS_FUNCTION = `
  CREATE OR REPLACE FUNCTION search_han_pairs(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(r[1], i, 2)), '{}')
      FROM regexp_matches(t, '[\\u3400-\\u4dbf\\u4e00-\\u9fff]{2,}', 'g') r, generate_series(1, length(r[1]) - 1) i
  $$`;

/** SQL of a text value folded as `likeFragment` folds the query: NULL as empty, NFKC, lower case. */
export const searchablePart = (sql: string) => `coalesce(${sql}, '')`;
/** The digits of a phone column, so "138 0013" and "138-0013" both find it. */
export const phoneDigitsPart = (sql: string) => `regexp_replace(coalesce(${sql}, ''), '\\D', '', 'g')`;

/**
 * For a migration: adds `search_text` to `table` as a column PostgreSQL computes from `parts` (SQL over the
 * row's own columns, each immutable), so every write path — API, consumers, imports — keeps it current without
 * code, and creates its trigram and Chinese-pair GIN indexes.
 */
export async function addSearchText(q: QueryRunner, table: string, parts: string[]): Promise<void> {
  await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  await q.query(SEARCH_HAN_PAIRS_FUNCTION);
  const text = `lower(normalize(${parts.join(` || ' ' || `)}, NFKC))`;
  await q.query(`ALTER TABLE ${table} ADD COLUMN search_text text GENERATED ALWAYS AS (${text}) STORED`);
  await q.query(`CREATE INDEX ${table}_search_trgm_idx ON ${table} USING gin (search_text gin_trgm_ops)`);
  await q.query(`CREATE INDEX ${table}_search_pairs_idx ON ${table} USING gin (search_han_pairs(search_text))`);
}

/** The `down` of `addSearchText`; the function stays (another table or service migration may use it). */
export async function dropSearchText(q: QueryRunner, table: string): Promise<void> {
  await q.query(`ALTER TABLE ${table} DROP COLUMN search_text`);
}
