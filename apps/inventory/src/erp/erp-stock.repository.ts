import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { claimWebhookEvent } from '@crm/http';
import { appendMovements, ensureLevelRows, ensureWarehouse, lockLevels, saveLevels } from '../stock/stock.repository';
import type { StockLevel } from '../stock/stock-level.domain';
import type { ErpLevel, ErpStockTarget, LevelChanges } from './erp-stock.domain';

export const ERP_WEBHOOK_SOURCE = 'inventory-erp';

// Two-key advisory lock space of this service: (class, 1) is the ERP stock sync.
const SYNC_LOCK: [number, number] = [0x1ea8, 1];

/** The stock rows the ERP writes to: pushed events (once per ERP event id) and the periodic pull. */
@Injectable()
export class ErpStockRepository {
  /** False when this ERP event id was applied before; the claim commits with the change it allows. */
  claimEvent(m: EntityManager, eventId: string): Promise<boolean> {
    return claimWebhookEvent(m, ERP_WEBHOOK_SOURCE, eventId);
  }

  /** The row a pushed event changes (a warehouse the ERP names first is added), locked; no row for an unknown SKU. */
  async loadTarget(m: EntityManager, sku: string, warehouseId: string): Promise<ErpStockTarget> {
    const [item] = await m.query('SELECT sku FROM items WHERE sku = $1', [sku]);
    if (!item) return { version: 0, level: null };
    await ensureWarehouse(m, warehouseId);
    await ensureLevelRows(m, [{ sku, warehouseId }]);
    const [level] = await lockLevels(m, [sku], warehouseId);
    return { version: 0, level };
  }

  /** One replica syncs at a time: false when another holds the lock (for the rest of its transaction). */
  async trySyncLock(m: EntityManager): Promise<boolean> {
    const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1, $2) AS locked', SYNC_LOCK);
    return locked;
  }

  /** Of these SKUs, those in the catalogue. */
  async knownSkus(m: EntityManager, skus: readonly string[]): Promise<Set<string>> {
    const rows: { sku: string }[] = await m.query('SELECT sku FROM items WHERE sku = ANY($1::varchar[])', [[...skus]]);
    return new Set(rows.map((r) => r.sku));
  }

  /** The local rows of these ERP levels (created empty where new, warehouses added), and every row of the SKUs, locked. */
  async lockForSync(m: EntityManager, wanted: readonly ErpLevel[], skus: readonly string[]): Promise<StockLevel[]> {
    for (const warehouseId of new Set(wanted.map((l) => l.warehouseId))) await ensureWarehouse(m, warehouseId);
    await ensureLevelRows(m, wanted);
    return lockLevels(m, skus);
  }

  async save(m: EntityManager, changes: LevelChanges): Promise<void> {
    await saveLevels(m, changes.levels);
    await appendMovements(m, changes.movements);
  }
}
