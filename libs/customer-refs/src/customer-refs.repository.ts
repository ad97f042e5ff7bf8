import type { EntityManager, QueryRunner } from 'typeorm';

/** A column that holds an account or contact id: the merge moves it, the undo moves it back. */
export interface CustomerRefColumn {
  table: string;
  /** The column with the account or contact id. */
  column: string;
  /** The row's primary key (one uuid column). */
  key: string;
}

export interface MergeApplied {
  mergeId: string;
  survivorId: string;
  mergedId: string;
}

export interface MergeUndone {
  mergeId: string;
  survivorId: string;
  restoredId: string;
}

/**
 * What every service that keeps account or contact ids does with `account.merged`, `contact.merged` and their
 * undos (ADR 0018): re-point the merged id to the survivor and remember each row moved, so the undo moves back
 * exactly those rows. A merge id seen once is never applied again, and an undo that arrives before its merge
 * makes the late merge a no-op, so redelivered and out-of-order events change nothing more.
 */
export class CustomerRefsRepository {
  constructor(private readonly columns: readonly CustomerRefColumn[]) {}

  /** The rows moved; 0 when this merge was already applied or undone. */
  async applyMerge(m: EntityManager, merge: MergeApplied): Promise<number> {
    const claimed = await m.query(`INSERT INTO customer_merges (merge_id, state) VALUES ($1, 'applied') ON CONFLICT (merge_id) DO NOTHING RETURNING merge_id`, [
      merge.mergeId,
    ]);
    if (!claimed.length) return 0;
    let moved = 0;
    for (const c of this.columns) {
      const rows: unknown[] = await m.query(
        `WITH moved AS (UPDATE ${c.table} SET ${c.column} = $2 WHERE ${c.column} = $3 RETURNING ${c.key} AS id)
         INSERT INTO customer_merge_moves (merge_id, table_name, column_name, record_id, from_id)
         SELECT $1, '${c.table}', '${c.column}', id, $3 FROM moved RETURNING record_id`,
        [merge.mergeId, merge.survivorId, merge.mergedId],
      );
      moved += rows.length;
    }
    return moved;
  }

  /** The rows moved back; a row that has moved on since (a later merge) stays where it is. */
  async undoMerge(m: EntityManager, undo: MergeUndone): Promise<number> {
    const [row] = await m.query(
      `INSERT INTO customer_merges (merge_id, state) VALUES ($1, 'undone')
       ON CONFLICT (merge_id) DO UPDATE SET state = 'undone' WHERE customer_merges.state = 'applied'
       RETURNING (xmax <> 0) AS was_applied`,
      [undo.mergeId],
    );
    if (!row?.was_applied) return 0;
    let restored = 0;
    for (const c of this.columns) {
      // An UPDATE answers [rows, count] through TypeORM.
      const [, count] = await m.query(
        `UPDATE ${c.table} t SET ${c.column} = mv.from_id FROM customer_merge_moves mv
         WHERE mv.merge_id = $1 AND mv.table_name = '${c.table}' AND mv.column_name = '${c.column}'
           AND t.${c.key} = mv.record_id AND t.${c.column} = $2`,
        [undo.mergeId, undo.survivorId],
      );
      restored += Number(count ?? 0);
    }
    return restored;
  }
}

/**
 * A row that takes over another's references (a kept-aside value copied into the record it was kept for) takes
 * over what merges remember of them too, so an undo moves the new row back as it would have moved the old one.
 */
export async function handOverMoves(m: EntityManager, from: { table: string; recordId: string }, to: { table: string; recordId: string }): Promise<void> {
  await m.query(`UPDATE customer_merge_moves SET table_name = $3, record_id = $4 WHERE table_name = $1 AND record_id = $2`, [
    from.table,
    from.recordId,
    to.table,
    to.recordId,
  ]);
}

/** The two tables the repository needs, for a service's migration. */
export async function createCustomerRefTables(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE TABLE customer_merges (
      merge_id uuid PRIMARY KEY,
      state varchar(8) NOT NULL CHECK (state IN ('applied', 'undone')),
      at timestamptz NOT NULL DEFAULT now()
    )`);
  await q.query(`
    CREATE TABLE customer_merge_moves (
      merge_id uuid NOT NULL,
      table_name text NOT NULL,
      column_name text NOT NULL,
      record_id uuid NOT NULL,
      from_id uuid NOT NULL,
      PRIMARY KEY (merge_id, table_name, column_name, record_id)
    )`);
}

export async function dropCustomerRefTables(q: QueryRunner): Promise<void> {
  await q.query('DROP TABLE customer_merge_moves');
  await q.query('DROP TABLE customer_merges');
}
