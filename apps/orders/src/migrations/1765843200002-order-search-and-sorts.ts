import type { MigrationInterface, QueryRunner } from 'typeorm';
import { addSearchText, dropSearchText, phoneDigitsPart, searchablePart } from '@crm/persistence';

const REP_SORTS = [
  ['idx_orders_rep_updated', 'updated_at'],
  ['idx_orders_rep_total', 'total'],
  ['idx_orders_rep_promised_sort', `(COALESCE(promised_delivery_date, 'infinity'))`],
] as const;

export class OrderSearchAndSorts1765843200002 implements MigrationInterface {
  name = 'OrderSearchAndSorts1765843200002';

  async up(q: QueryRunner): Promise<void> {
    // `q=` on the order list: the order number (its id, or the start of it), the customer (person, company,
    // email, phone) and the carrier's tracking number.
    await addSearchText(q, 'orders', [
      'id::text',
      searchablePart(`customer->>'name'`),
      searchablePart(`customer->>'company'`),
      searchablePart(`customer->>'email'`),
      phoneDigitsPart(`customer->>'phone'`),
      searchablePart('tracking_number'),
    ]);
    // The sorts of the list (created_at has idx_orders_created); orders without a promised date sort last.
    await q.query('CREATE INDEX idx_orders_updated ON orders (updated_at, id)');
    await q.query('CREATE INDEX idx_orders_total ON orders (total, id)');
    await q.query(`CREATE INDEX idx_orders_promised_sort ON orders ((COALESCE(promised_delivery_date, 'infinity')), id)`);
    // A rep's list walks their own rows in order (idx_orders_rep already holds created_at).
    for (const [name, sort] of REP_SORTS) await q.query(`CREATE INDEX ${name} ON orders (rep_id, ${sort}, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of ['idx_orders_updated', 'idx_orders_total', 'idx_orders_promised_sort', ...REP_SORTS.map(([name]) => name)]) {
      await q.query(`DROP INDEX ${index}`);
    }
    await dropSearchText(q, 'orders');
  }
}
