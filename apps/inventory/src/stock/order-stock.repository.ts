import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { LevelScope, OrderAllocation, OrderStock, OrderStockChanges, StockLine } from './allocation.domain';
import { ensureWarehouse, levelsWrite, lockLevels, movementsWrite, writeTogether, type SqlWrite } from './stock.repository';

// Two-key advisory locks live in their own space; the first key names what the second one counts.
const ORDER_LOCK_CLASS = 0x1ea7;

/** The stock of one order: its allocation, its place in the backorder queue, the stock rows it moves. */
@Injectable()
export class OrderStockRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Locks the order (serialising every command for it: a re-confirmation, a second replica, a cancel), reads its
   * allocation and backorder, then locks the stock rows `levelsFor` names, in the one lock order of stock rows.
   */
  async load(m: EntityManager, orderId: string, levelsFor: (order: Pick<OrderStock, 'allocation' | 'backorder'>) => LevelScope | null): Promise<OrderStock> {
    await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ORDER_LOCK_CLASS, orderId]);
    // One round trip after the lock (a statement of its own, so its snapshot sees what the lock's last holder
    // committed): the allocation (locked), the backorder and the warehouses in their order.
    const [row]: {
      allocation: { warehouse_id: string; lines: StockLine[]; status: OrderAllocation['status'] } | null;
      backorder: { lines: StockLine[]; event_id: string; by: string; erp_attempts: number } | null;
      warehouses: string[] | null;
    }[] = await m.query(
      `SELECT (SELECT json_build_object('warehouse_id', warehouse_id, 'lines', lines, 'status', status)
                 FROM order_allocations WHERE order_id = $1 FOR UPDATE) AS allocation,
              (SELECT json_build_object('lines', lines, 'event_id', event_id, 'by', "by", 'erp_attempts', erp_attempts)
                 FROM backorders WHERE order_id = $1) AS backorder,
              (SELECT array_agg(id ORDER BY priority, id) FROM warehouses) AS warehouses`,
      [orderId],
    );
    const { allocation, backorder } = row;
    const order: OrderStock = {
      version: 0,
      orderId,
      allocation: allocation ? { warehouseId: allocation.warehouse_id, lines: allocation.lines, status: allocation.status } : null,
      backorder: backorder ? { lines: backorder.lines, eventId: backorder.event_id, by: backorder.by, erpAttempts: backorder.erp_attempts } : null,
      warehouses: [],
      levels: [],
    };
    const scope = levelsFor(order);
    if (!scope) return order;
    if (scope.addWarehouse && scope.warehouseId) await ensureWarehouse(m, scope.warehouseId);
    order.levels = await lockLevels(m, scope.skus, scope.warehouseId, !scope.readOnly);
    order.warehouses = scope.warehouseId ? [scope.warehouseId] : (row.warehouses ?? []);
    return order;
  }

  /** `order`: as `load` read it under the order's lock, which every write of its backorder row also takes. */
  async save(m: EntityManager, order: Pick<OrderStock, 'orderId' | 'backorder'>, changes: OrderStockChanges<unknown>): Promise<void> {
    const { orderId } = order;
    // No row to delete when the load under the lock found none: a first confirmation never waited.
    if (changes.stopWaiting && order.backorder) await m.query('DELETE FROM backorders WHERE order_id = $1', [orderId]);
    if (changes.erpAttempted) await m.query('UPDATE backorders SET erp_attempts = erp_attempts + 1 WHERE order_id = $1', [orderId]);
    if (changes.waitFor) {
      const { lines, eventId, by } = changes.waitFor;
      await m.query(
        `INSERT INTO backorders (order_id, lines, skus, event_id, by) VALUES ($1, $2::jsonb, $3::text[], $4, $5) ON CONFLICT (order_id) DO NOTHING`,
        [orderId, JSON.stringify(lines), lines.map((l) => l.sku), eventId, by],
      );
    }
    // A deduction's levels, ledger rows and allocation: three tables, one round trip.
    await writeTogether(m, [
      levelsWrite(changes.levels),
      movementsWrite(changes.movements),
      changes.allocate ? allocationWrite(orderId, changes.allocate) : null,
    ]);
    if (changes.markReleased || changes.markCompensated) {
      const status = changes.markCompensated ? 'compensated' : 'released';
      await m.query(`UPDATE order_allocations SET status = $2, updated_at = now() WHERE order_id = $1`, [orderId, status]);
    }
  }

  /** Waiting orders (all, or those needing one of `skus`), oldest first. */
  async waiting(skus: string[] | undefined, limit: number): Promise<string[]> {
    const rows: { order_id: string }[] = await this.dataSource.query(
      'SELECT order_id FROM backorders WHERE ($1::text[] IS NULL OR skus && $1::text[]) ORDER BY created_at, order_id LIMIT $2',
      [skus ?? null, limit],
    );
    return rows.map((r) => r.order_id);
  }
}

/** A compensated allocation is deducted again after an operator's retry: the one row per order is reused. */
function allocationWrite(orderId: string, { warehouseId, lines, eventId }: { warehouseId: string; lines: StockLine[]; eventId: string }): SqlWrite {
  const text = (p: number) =>
    `INSERT INTO order_allocations (order_id, warehouse_id, lines, status, event_id)
     VALUES ($${p}, $${p + 1}, $${p + 2}::jsonb, 'deducted', $${p + 3})
     ON CONFLICT (order_id) DO UPDATE SET warehouse_id = EXCLUDED.warehouse_id, lines = EXCLUDED.lines, status = 'deducted',
       event_id = EXCLUDED.event_id, updated_at = now() WHERE order_allocations.status = 'compensated'`;
  return { text, params: [orderId, warehouseId, JSON.stringify(lines), eventId] };
}
