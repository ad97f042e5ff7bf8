import type { MigrationInterface, QueryRunner } from 'typeorm';
import { addSearchText, dropSearchText, phoneDigitsPart, searchablePart } from '@crm/persistence';

const REP_SORTS = [
  ['idx_opportunities_rep_close_date', 'expected_close_date'],
  ['idx_opportunities_rep_amount', 'expected_amount'],
  ['idx_opportunities_rep_created', 'created_at'],
  ['idx_opportunities_rep_updated', 'updated_at'],
] as const;

export class OpportunitySearchAndSorts1765843200001 implements MigrationInterface {
  name = 'OpportunitySearchAndSorts1765843200001';

  async up(q: QueryRunner): Promise<void> {
    // `q=` on the opportunity list: the customer (person, company, email, phone), the product line, the competitor.
    await addSearchText(q, 'opportunities', [
      searchablePart(`customer->>'name'`),
      searchablePart(`customer->>'company'`),
      searchablePart(`customer->>'email'`),
      phoneDigitsPart(`customer->>'phone'`),
      searchablePart('product_line'),
      searchablePart('competitor'),
    ]);
    // The sorts of the list without a filter (the rep, team and status indexes lead with their filter column).
    await q.query('CREATE INDEX idx_opportunities_score ON opportunities (score, id)');
    await q.query('CREATE INDEX idx_opportunities_close_date ON opportunities (expected_close_date, id)');
    await q.query('CREATE INDEX idx_opportunities_amount ON opportunities (expected_amount, id)');
    await q.query('CREATE INDEX idx_opportunities_updated ON opportunities (updated_at, id)');
    // A rep's list walks their own rows in order (idx_opportunities_rep already holds score).
    for (const [name, sort] of REP_SORTS) await q.query(`CREATE INDEX ${name} ON opportunities (rep_id, ${sort}, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of [
      'idx_opportunities_score',
      'idx_opportunities_close_date',
      'idx_opportunities_amount',
      'idx_opportunities_updated',
      ...REP_SORTS.map(([name]) => name),
    ]) {
      await q.query(`DROP INDEX ${index}`);
    }
    await dropSearchText(q, 'opportunities');
  }
}
