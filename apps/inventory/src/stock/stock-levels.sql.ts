import type { EntityManager } from 'typeorm';
import type { EventOf } from '@crm/contracts';
import { newEvent } from '@crm/messaging';
import { lowStockTransition } from './allocation.domain';
import type { MovementReason } from './stock.entities';

// Raw SQL for the hot, locking paths: the lock order and the exact statements matter more than an ORM here.

export interface LevelKey {
  sku: string;
  warehouseId: string;
}

export interface LockedLevel extends LevelKey {
  onHand: number;
  lowAlerted: boolean;
  reorderPoint: number;
}

const byKey = (a: LevelKey, b: LevelKey) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.warehouseId < b.warehouseId ? -1 : a.warehouseId > b.warehouseId ? 1 : 0);

/**
 * Locks the stock rows of these SKUs (every warehouse, or one) FOR UPDATE in (sku, warehouse_id) order:
 * every writer locks in this one order, so concurrent orders for overlapping SKUs queue instead of deadlocking.
 */
export async function lockLevels(manager: EntityManager, skus: readonly string[], warehouseId?: string): Promise<LockedLevel[]> {
  if (!skus.length) return [];
  const rows: { sku: string; warehouse_id: string; on_hand: number; low_alerted: boolean; reorder_point: number }[] = await manager.query(
    `SELECT l.sku, l.warehouse_id, l.on_hand, l.low_alerted, i.reorder_point
       FROM stock_levels l JOIN items i ON i.sku = l.sku
      WHERE l.sku = ANY($1::varchar[]) AND ($2::varchar IS NULL OR l.warehouse_id = $2)
      ORDER BY l.sku, l.warehouse_id
        FOR UPDATE OF l`,
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

/**
 * Writes a locked level's new quantity and its low-stock flag; returns the stock.low event to publish when
 * this change crossed the reorder point (once per crossing).
 */
export async function writeLevel(manager: EntityManager, level: LockedLevel, onHand: number): Promise<EventOf<'stock.low'> | null> {
  const { lowAlerted, alert } = lowStockTransition({ onHand, reorderPoint: level.reorderPoint, lowAlerted: level.lowAlerted });
  await manager.query(
    `UPDATE stock_levels SET on_hand = $3, low_alerted = $4, updated_at = now() WHERE sku = $1 AND warehouse_id = $2`,
    [level.sku, level.warehouseId, onHand, lowAlerted],
  );
  Object.assign(level, { onHand, lowAlerted });
  if (!alert) return null;
  return newEvent('stock.low', {
    subject: level.sku,
    data: { sku: level.sku, warehouseId: level.warehouseId, onHand, threshold: level.reorderPoint, at: new Date().toISOString() },
  });
}

export interface MovementInput {
  sku: string;
  warehouseId: string;
  delta: number;
  reason: MovementReason;
  orderId?: string | null;
  eventId?: string | null;
  note?: string | null;
  by: string;
}

/** Appends rows to the ledger; returns their ids in input order. */
export async function appendMovements(manager: EntityManager, movements: readonly MovementInput[]): Promise<string[]> {
  const rows = movements.filter((m) => m.delta !== 0);
  if (!rows.length) return [];
  const inserted: { id: string }[] = await manager.query(
    `INSERT INTO stock_movements (sku, warehouse_id, delta, reason, order_id, event_id, note, "by")
     SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::int[], $4::text[], $5::uuid[], $6::uuid[], $7::varchar[], $8::varchar[])
     RETURNING id`,
    [
      rows.map((m) => m.sku),
      rows.map((m) => m.warehouseId),
      rows.map((m) => m.delta),
      rows.map((m) => m.reason),
      rows.map((m) => m.orderId ?? null),
      rows.map((m) => m.eventId ?? null),
      rows.map((m) => m.note ?? null),
      rows.map((m) => m.by),
    ],
  );
  return inserted.map((r) => String(r.id));
}

export const indexLevels = (levels: readonly LockedLevel[]) => new Map(levels.map((l) => [`${l.sku}\u0000${l.warehouseId}`, l]));
export const levelKey = (sku: string, warehouseId: string) => `${sku}\u0000${warehouseId}`;
