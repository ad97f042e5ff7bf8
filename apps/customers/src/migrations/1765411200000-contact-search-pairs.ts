import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ContactSearchPairs1765411200000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    // A trigram index cannot serve a two-character fragment ("华为", "王伟": most Chinese names and brands), so such a
    // search read every row (seconds over 1 M contacts). Every pair of neighbouring Chinese characters of the search
    // text, indexed, answers it; the LIKE still decides. The range must match `hanPair` (@crm/persistence, text-search.ts).
    await q.query(`
      CREATE FUNCTION search_han_pairs(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT substr(r[1], i, 2)), '{}')
          FROM regexp_matches(t, '[\\u3400-\\u4dbf\\u4e00-\\u9fff]{2,}', 'g') r, generate_series(1, length(r[1]) - 1) i
      $$`);
    await q.query('CREATE INDEX contacts_search_pairs_idx ON contacts USING gin (search_han_pairs(search_text))');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX contacts_search_pairs_idx');
    await q.query('DROP FUNCTION search_han_pairs(text)');
  }
}
