import { randomUUID } from 'node:crypto';
import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { createTestDataSource, type TestDataSource } from '@crm/testing';
import { CustomerRefsRepository, createCustomerRefTables, dropCustomerRefTables } from './customer-refs.repository';

class CreateDeals1700000000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE deals (id uuid PRIMARY KEY, account_id uuid, contact_id uuid)');
    await q.query('CREATE TABLE orders (order_id uuid PRIMARY KEY, account_id uuid)');
    await createCustomerRefTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropCustomerRefTables(q);
    await q.query('DROP TABLE orders');
    await q.query('DROP TABLE deals');
  }
}

describe('CustomerRefsRepository on PostgreSQL', () => {
  let db: TestDataSource;
  const accounts = new CustomerRefsRepository([
    { table: 'deals', column: 'account_id', key: 'id' },
    { table: 'orders', column: 'account_id', key: 'order_id' },
  ]);
  const contacts = new CustomerRefsRepository([{ table: 'deals', column: 'contact_id', key: 'id' }]);

  beforeAll(async () => {
    db = await createTestDataSource({ prefix: 'customer_refs_test', migrations: [CreateDeals1700000000000] });
  });
  afterAll(() => db?.close());

  const tx = <T>(work: (m: EntityManager) => Promise<T>): Promise<T> => db.dataSource.transaction(work);
  const deal = async (accountId: string | null, contactId: string | null = null) => {
    const id = randomUUID();
    await db.dataSource.query('INSERT INTO deals (id, account_id, contact_id) VALUES ($1, $2, $3)', [id, accountId, contactId]);
    return id;
  };
  const order = async (accountId: string) => {
    const id = randomUUID();
    await db.dataSource.query('INSERT INTO orders (order_id, account_id) VALUES ($1, $2)', [id, accountId]);
    return id;
  };
  const accountOf = async (table: 'deals' | 'orders', id: string): Promise<string | null> => {
    const key = table === 'deals' ? 'id' : 'order_id';
    const [row] = await db.dataSource.query(`SELECT account_id FROM ${table} WHERE ${key} = $1`, [id]);
    return row.account_id;
  };
  const merge = (mergeId: string, survivorId: string, mergedId: string, repo = accounts) => tx((m) => repo.applyMerge(m, { mergeId, survivorId, mergedId }));
  const undo = (mergeId: string, survivorId: string, restoredId: string, repo = accounts) => tx((m) => repo.undoMerge(m, { mergeId, survivorId, restoredId }));

  it('moves exactly the rows with the merged id, in every column, and records them', async () => {
    const [survivor, merged, other] = [randomUUID(), randomUUID(), randomUUID()];
    const [d1, d2, o1] = [await deal(merged), await deal(merged), await order(merged)];
    const [own, unrelated, none] = [await deal(survivor), await deal(other), await deal(null)];
    const mergeId = randomUUID();

    expect(await merge(mergeId, survivor, merged)).toBe(3);

    for (const id of [d1, d2, own]) expect(await accountOf('deals', id)).toBe(survivor);
    expect(await accountOf('orders', o1)).toBe(survivor);
    expect(await accountOf('deals', unrelated)).toBe(other);
    expect(await accountOf('deals', none)).toBeNull();
    const moves = await db.dataSource.query(
      'SELECT table_name, column_name, record_id, from_id FROM customer_merge_moves WHERE merge_id = $1 ORDER BY table_name, record_id',
      [mergeId],
    );
    expect(moves).toEqual(
      [
        { table_name: 'deals', column_name: 'account_id', record_id: d1, from_id: merged },
        { table_name: 'deals', column_name: 'account_id', record_id: d2, from_id: merged },
        { table_name: 'orders', column_name: 'account_id', record_id: o1, from_id: merged },
      ].sort((a, b) => a.table_name.localeCompare(b.table_name) || a.record_id.localeCompare(b.record_id)),
    );
  });

  it('applies a merge id once: a redelivered merge moves nothing, even rows that took the merged id since', async () => {
    const [survivor, merged] = [randomUUID(), randomUUID()];
    const first = await deal(merged);
    const mergeId = randomUUID();
    expect(await merge(mergeId, survivor, merged)).toBe(1);

    const late = await deal(merged);
    expect(await merge(mergeId, survivor, merged)).toBe(0);
    expect(await accountOf('deals', first)).toBe(survivor);
    expect(await accountOf('deals', late)).toBe(merged);
  });

  it('undoes exactly the rows it moved: not rows of the survivor for other reasons, not rows moved on since', async () => {
    const [survivor, merged, later] = [randomUUID(), randomUUID(), randomUUID()];
    const [back1, back2, movedOn, o1] = [await deal(merged), await deal(merged), await deal(merged), await order(merged)];
    const own = await deal(survivor);
    const mergeId = randomUUID();
    expect(await merge(mergeId, survivor, merged)).toBe(4);

    // Since the merge: a new deal of the survivor, and one of the moved rows was moved on elsewhere.
    const newOne = await deal(survivor);
    await db.dataSource.query('UPDATE deals SET account_id = $2 WHERE id = $1', [movedOn, later]);

    expect(await undo(mergeId, survivor, merged)).toBe(3);
    for (const id of [back1, back2]) expect(await accountOf('deals', id)).toBe(merged);
    expect(await accountOf('orders', o1)).toBe(merged);
    expect(await accountOf('deals', own)).toBe(survivor);
    expect(await accountOf('deals', newOne)).toBe(survivor);
    expect(await accountOf('deals', movedOn)).toBe(later);

    // A redelivered undo, and the merge redelivered after it, change nothing.
    expect(await undo(mergeId, survivor, merged)).toBe(0);
    expect(await merge(mergeId, survivor, merged)).toBe(0);
    expect(await accountOf('deals', back1)).toBe(merged);
  });

  it('an undo that arrives before its merge makes the late merge a no-op', async () => {
    const [survivor, merged] = [randomUUID(), randomUUID()];
    const row = await deal(merged);
    const mergeId = randomUUID();

    expect(await undo(mergeId, survivor, merged)).toBe(0);
    expect(await merge(mergeId, survivor, merged)).toBe(0);
    expect(await accountOf('deals', row)).toBe(merged);
    const [state] = await db.dataSource.query('SELECT state FROM customer_merges WHERE merge_id = $1', [mergeId]);
    expect(state.state).toBe('undone');
  });

  it('a chain of merges undone in reverse order restores every row where it was', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const [ofB, ofA] = [await deal(b), await deal(a)];
    const [m1, m2] = [randomUUID(), randomUUID()];
    expect(await merge(m1, a, b)).toBe(1); // b into a
    expect(await merge(m2, c, a)).toBe(2); // a (with b's deal) into c
    expect(await undo(m1, a, b)).toBe(0); // b's deal has moved on to c: it stays
    expect(await accountOf('deals', ofB)).toBe(c);
    expect(await undo(m2, c, a)).toBe(2);
    expect(await accountOf('deals', ofB)).toBe(a);
    expect(await accountOf('deals', ofA)).toBe(a);
  });

  it('account and contact merges share the tables without touching each other', async () => {
    const [account, survivorContact, mergedContact] = [randomUUID(), randomUUID(), randomUUID()];
    const row = await deal(account, mergedContact);
    const mergeId = randomUUID();
    expect(await merge(mergeId, survivorContact, mergedContact, contacts)).toBe(1);
    const [after] = await db.dataSource.query('SELECT account_id, contact_id FROM deals WHERE id = $1', [row]);
    expect(after).toEqual({ account_id: account, contact_id: survivorContact });
    expect(await undo(mergeId, survivorContact, mergedContact, contacts)).toBe(1);
    const [back] = await db.dataSource.query('SELECT contact_id FROM deals WHERE id = $1', [row]);
    expect(back.contact_id).toBe(mergedContact);
  });

  it('merge and undo in one transaction (a batch of events) still undo what was moved', async () => {
    const [survivor, merged] = [randomUUID(), randomUUID()];
    const row = await deal(merged);
    const mergeId = randomUUID();
    const counts = await tx(async (m) => [
      await accounts.applyMerge(m, { mergeId, survivorId: survivor, mergedId: merged }),
      await accounts.undoMerge(m, { mergeId, survivorId: survivor, restoredId: merged }),
    ]);
    expect(counts).toEqual([1, 1]);
    expect(await accountOf('deals', row)).toBe(merged);
  });
});
