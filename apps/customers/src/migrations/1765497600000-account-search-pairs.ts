import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountSearchPairs1765497600000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    // The accounts' twin of contacts_search_pairs_idx: a two-character company fragment ("华为") has no trigram.
    await q.query('CREATE INDEX accounts_search_pairs_idx ON accounts USING gin (search_han_pairs(search_text))');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX accounts_search_pairs_idx');
  }
}
