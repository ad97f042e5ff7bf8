import type { EntityManager } from 'typeorm';

const likeAny = (values: readonly string[]) => values.filter((v) => v.length >= 3).map((v) => `%${v.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);

/**
 * The copies of a person's values that no repository owns: responses kept for an Idempotency-Key replay, and
 * outbox rows published before their fields were sealed (ADR 0024). An erasure handler calls it, in its
 * transaction, with the values it is about to scrub (values under 3 characters match too much to search for).
 */
export async function forgetPersonalValues(m: EntityManager, values: readonly string[]): Promise<void> {
  const patterns = likeAny(values);
  if (!patterns.length) return;
  await m.query('DELETE FROM idempotency_keys WHERE response_body::text LIKE ANY($1)', [patterns]);
  await m.query('DELETE FROM outbox WHERE published_at IS NOT NULL AND payload::text LIKE ANY($1)', [patterns]);
}
