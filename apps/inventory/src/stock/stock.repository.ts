import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { paginate, type Page } from '@crm/http';
import { type LevelWrite, type Movement, type ReceiptChanges, type ReceiptTarget, type StockLevel } from './stock-level.domain';
import type { ListMovementsQueryDto, ListStockQueryDto } from './stock.dto';
import { StockLevelEntity, StockMovementEntity } from './stock.entities';

// Raw SQL for the hot, locking paths: the lock order and the exact statements matter more than an ORM here.

export interface LevelKey {
  sku: string;
  warehouseId: string;
}

const byKey = (a: LevelKey, b: LevelKey) =>
  a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.warehouseId < b.warehouseId ? -1 : a.warehouseId > b.warehouseId ? 1 : 0;

/**
 * Locks the stock rows of these SKUs (every warehouse, or one) FOR UPDATE in (sku, warehouse_id) order:
 * every writer locks in this one order, so concurrent orders for overlapping SKUs queue instead of deadlocking.
 */
/** `lock` false: a plain read (the ERP's mirror, read to decide whether asking the ERP is worth it). */
export async function lockLevels(manager: EntityManager, skus: readonly string[], warehouseId?: string, lock = true): Promise<StockLevel[]> {
  if (!skus.length) return [];
  const rows: { sku: string; warehouse_id: string; on_hand: number; low_alerted: boolean; reorder_point: number }[] = await manager.query(
    `SELECT l.sku, l.warehouse_id, l.on_hand, l.low_alerted, i.reorder_point
       FROM stock_levels l JOIN items i ON i.sku = l.sku
      WHERE l.sku = ANY($1::varchar[]) AND ($2::varchar IS NULL OR l.warehouse_id = $2)
      ORDER BY l.sku, l.warehouse_id
        ${lock ? 'FOR UPDATE OF l' : ''}`,
    [[...skus], warehouseId ?? null],
  );
  return rows.map((r) => ({ sku: r.sku, warehouseId: r.warehouse_id, onHand: r.on_hand, lowAlerted: r.low_alerted, reorderPoint: r.reorder_point }));
}

/** Creates missing (empty) level rows for catalogue items; keys of unknown SKUs are left out. */
export async function ensureLevelRows(manager: EntityManager, keys: readonly LevelKey[]): Promise<void> {
  const sorted = [...keys].sort(byKey);
  if (!sorted.length) return;
  await manager.query(
    `INSERT INTO stock_levels (sku, warehouse_id, on_hand)
     SELECT k.sku, k.warehouse_id, 0
       FROM unnest($1::varchar[], $2::varchar[]) WITH ORDINALITY AS k(sku, warehouse_id, n)
       JOIN items i ON i.sku = k.sku
      ORDER BY k.n
     ON CONFLICT (sku, warehouse_id) DO NOTHING`,
    [sorted.map((k) => k.sku), sorted.map((k) => k.warehouseId)],
  );
}

/** A warehouse the ERP names but this mirror has not seen yet is added, last in priority. */
export async function ensureWarehouse(manager: EntityManager, id: string): Promise<void> {
  await manager.query(`INSERT INTO warehouses (id, name, priority) VALUES ($1, $1, 1000) ON CONFLICT (id) DO NOTHING`, [id]);
}

/** Writes locked rows' new quantities and low-stock flags, all in one statement. */
/** One write as SQL text whose parameters are numbered from `$first`, so that several can share a round trip. */
export interface SqlWrite {
  text(first: number): string;
  params: unknown[];
}

/**
 * Runs writes as one statement, each but a lone one as a data-modifying CTE: every one runs to completion and
 * all see one snapshot, so they must touch different rows and none may read what another writes.
 */
export async function writeTogether(manager: EntityManager, writes: readonly (SqlWrite | null)[]): Promise<void> {
  const present = writes.filter((w): w is SqlWrite => w !== null);
  if (present.length <= 1) {
    if (present.length) await manager.query(present[0].text(1), present[0].params);
    return;
  }
  const params: unknown[] = [];
  const ctes = present.map((w, i) => {
    const text = w.text(params.length + 1);
    params.push(...w.params);
    return `w${i} AS (${text})`;
  });
  await manager.query(`WITH ${ctes.join(', ')} SELECT 1`, params);
}

export function levelsWrite(writes: readonly LevelWrite[]): SqlWrite | null {
  // A row written twice keeps its last write, as one UPDATE each did.
  const levels = [...new Map(writes.map((l) => [`${l.sku}\0${l.warehouseId}`, l])).values()];
  if (!levels.length) return null;
  return {
    text: (p) => `UPDATE stock_levels l SET on_hand = v.on_hand, low_alerted = v.low_alerted, updated_at = now()
       FROM unnest($${p}::varchar[], $${p + 1}::varchar[], $${p + 2}::int[], $${p + 3}::boolean[]) AS v(sku, warehouse_id, on_hand, low_alerted)
      WHERE l.sku = v.sku AND l.warehouse_id = v.warehouse_id`,
    params: [levels.map((l) => l.sku), levels.map((l) => l.warehouseId), levels.map((l) => l.onHand), levels.map((l) => l.lowAlerted)],
  };
}

export async function saveLevels(manager: EntityManager, writes: readonly LevelWrite[]): Promise<void> {
  await writeTogether(manager, [levelsWrite(writes)]);
}

/** Ledger rows to append (a zero delta is no movement). */
export function movementsWrite(movements: readonly Movement[]): SqlWrite | null {
  const rows = movements.filter((m) => m.delta !== 0);
  if (!rows.length) return null;
  const casts = ['varchar', 'varchar', 'int', 'text', 'uuid', 'uuid', 'varchar', 'varchar'];
  return {
    text: (p) => `INSERT INTO stock_movements (sku, warehouse_id, delta, reason, order_id, event_id, note, "by")
     SELECT * FROM unnest(${casts.map((c, i) => `$${p + i}::${c}[]`).join(', ')})`,
    params: [
      rows.map((m) => m.sku),
      rows.map((m) => m.warehouseId),
      rows.map((m) => m.delta),
      rows.map((m) => m.reason),
      rows.map((m) => m.orderId ?? null),
      rows.map((m) => m.eventId ?? null),
      rows.map((m) => m.note ?? null),
      rows.map((m) => m.by),
    ],
  };
}

/** Appends rows to the ledger; returns their ids in input order. */
export async function appendMovements(manager: EntityManager, movements: readonly Movement[]): Promise<string[]> {
  const write = movementsWrite(movements);
  if (!write) return [];
  const inserted: { id: string }[] = await manager.query(`${write.text(1)} RETURNING id`, write.params);
  return inserted.map((r) => String(r.id));
}

/** Stock rows and their ledger: receipts, and the reads of levels and movements. */
@Injectable()
export class StockRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The item and the warehouse a receipt names; when both exist, their stock row (created empty if new), locked. */
  async loadReceiptTarget(m: EntityManager, sku: string, warehouseId: string): Promise<ReceiptTarget> {
    const [item] = await m.query('SELECT sku FROM items WHERE sku = $1', [sku]);
    const [warehouse] = item ? await m.query('SELECT id FROM warehouses WHERE id = $1', [warehouseId]) : [];
    if (!item || !warehouse) return { version: 0, itemExists: !!item, warehouseExists: !!warehouse, level: null };
    await ensureLevelRows(m, [{ sku, warehouseId }]);
    const [level] = await lockLevels(m, [sku], warehouseId);
    return { version: 0, itemExists: true, warehouseExists: true, level: level ?? null };
  }

  /** Stores a receipt; returns its ledger row id. */
  async saveReceipt(m: EntityManager, changes: ReceiptChanges): Promise<string> {
    await saveLevels(m, [changes.level]);
    const [movementId] = await appendMovements(m, [changes.movement]);
    return movementId;
  }

  /** Levels with their item (for its reorder point). */
  levels(query: ListStockQueryDto): Promise<Page<StockLevelEntity>> {
    const qb = this.dataSource.getRepository(StockLevelEntity).createQueryBuilder('level').innerJoinAndSelect('level.item', 'item');
    if (query.sku !== undefined) qb.andWhere('level.sku = :sku', { sku: query.sku });
    if (query.warehouseId !== undefined) qb.andWhere('level.warehouseId = :warehouseId', { warehouseId: query.warehouseId });
    if (query.belowReorderPoint !== undefined) {
      qb.andWhere(query.belowReorderPoint ? 'level.onHand <= item.reorderPoint' : 'level.onHand > item.reorderPoint');
    }
    // (sku, warehouse_id) is the key, so it makes a total keyset order.
    return paginate(qb, { sort: { column: 'level.sku', direction: 'ASC' }, tieBreaker: 'warehouseId', limit: query.limit, cursor: query.cursor });
  }

  movements(query: ListMovementsQueryDto): Promise<Page<StockMovementEntity>> {
    const qb = this.dataSource.getRepository(StockMovementEntity).createQueryBuilder('movement');
    if (query.sku !== undefined) qb.andWhere('movement.sku = :sku', { sku: query.sku });
    if (query.orderId !== undefined) qb.andWhere('movement.orderId = :orderId', { orderId: query.orderId });
    return paginate(qb, { sort: { column: 'id', direction: 'DESC' }, tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
  }

  /** Stock rows now at or below their item's reorder point (the low-stock gauge). */
  async countLow(): Promise<number> {
    const [row] = await this.dataSource.query('SELECT count(*)::int AS n FROM stock_levels l JOIN items i ON i.sku = l.sku WHERE l.on_hand <= i.reorder_point');
    return row.n;
  }
}
