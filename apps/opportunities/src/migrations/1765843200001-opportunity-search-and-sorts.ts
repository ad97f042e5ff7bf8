import type { MigrationInterface, QueryRunner } from 'typeorm';
import { addSearchText, dropSearchText, phoneDigitsPart, searchablePart } from '@crm/persistence';

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
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of ['idx_opportunities_score', 'idx_opportunities_close_date', 'idx_opportunities_amount', 'idx_opportunities_updated']) {
      await q.query(`DROP INDEX ${index}`);
    }
    await dropSearchText(q, 'opportunities');
  }
}
