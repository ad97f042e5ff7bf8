import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import type { EventEnvelope } from '@crm/contracts';
import { appendToOutbox } from '@crm/messaging';
import { INVENTORY_OPTIONS, type InventoryOptions } from '../inventory.options';
import { InventoryMetrics } from '../stock/inventory-metrics';
import { appendMovements, ensureLevelRows, ensureWarehouse, indexLevels, levelKey, lockLevels, writeLevel } from '../stock/stock-levels.sql';
import { ERP_CONNECTOR, type ErpConnector } from './erp-connector';

export type StockSyncResult =
  | { status: 'disabled' }
  /** Another replica holds the sync lock: it is doing this pass. */
  | { status: 'skipped' }
  | { status: 'synced'; updated: number; unchanged: number; unknownSkus: string[] };

// Two-key advisory lock space of this service: (class, 1) is the ERP stock sync.
const SYNC_LOCK: [number, number] = [0x1ea8, 1];
export const STOCK_SYNC_JOB = 'inventory-erp-stock-sync';

/**
 * Pulls stock levels from the ERP into the local mirror on an interval. One replica at a time (a
 * transaction-scoped advisory lock); each changed level gets an 'erp_sync' ledger row, and a level that
 * falls to its reorder point raises stock.low as any other change would. Levels the ERP does not list
 * are left alone, and SKUs missing from the catalogue are reported, not invented.
 */
@Injectable()
export class StockSyncService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(StockSyncService.name);
  private running?: Promise<unknown>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: InventoryMetrics,
    private readonly scheduler: SchedulerRegistry,
    @Inject(INVENTORY_OPTIONS) private readonly options: InventoryOptions,
    @Optional() @Inject(ERP_CONNECTOR) private readonly erp: ErpConnector | null = null,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.erp || !this.options.erp) return;
    // Registered with the scheduler so that it is cleared with the other jobs at shutdown.
    this.scheduler.addInterval(STOCK_SYNC_JOB, setInterval(() => void this.runScheduled(), this.options.erp.syncIntervalMs));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** The job itself; tests call it directly. */
  syncFromErp(): Promise<StockSyncResult> {
    const erp = this.erp;
    if (!erp) return Promise.resolve({ status: 'disabled' });
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1, $2) AS locked', SYNC_LOCK);
      if (!locked) return { status: 'skipped' };

      const latest = new Map((await erp.fetchStockLevels()).map((l) => [levelKey(l.sku, l.warehouseId), l]));
      const skus = [...new Set([...latest.values()].map((l) => l.sku))];
      const known = new Set<string>((await manager.query('SELECT sku FROM items WHERE sku = ANY($1::varchar[])', [skus])).map((r: { sku: string }) => r.sku));
      const wanted = [...latest.values()].filter((l) => known.has(l.sku));
      for (const warehouseId of new Set(wanted.map((l) => l.warehouseId))) await ensureWarehouse(manager, warehouseId);
      await ensureLevelRows(manager, wanted);

      const levels = indexLevels(await lockLevels(manager, [...known]));
      const events: EventEnvelope[] = [];
      let updated = 0;
      for (const level of [...levels.values()]) {
        const erpLevel = latest.get(levelKey(level.sku, level.warehouseId));
        if (!erpLevel || erpLevel.onHand === level.onHand) continue;
        const delta = erpLevel.onHand - level.onHand;
        const low = await writeLevel(manager, level, erpLevel.onHand);
        if (low) events.push(low);
        await appendMovements(manager, [{ sku: level.sku, warehouseId: level.warehouseId, delta, reason: 'erp_sync', note: `ERP ${erp.name} sync`, by: 'system' }]);
        updated++;
      }
      await appendToOutbox(manager, events);
      if (events.length) this.metrics.lowStockAlerts.inc(events.length);
      return { status: 'synced', updated, unchanged: wanted.length - updated, unknownSkus: skus.filter((s) => !known.has(s)).sort() };
    });
  }

  private async runScheduled(): Promise<void> {
    if (this.running) return;
    const run = this.syncFromErp();
    this.running = run;
    try {
      const result = await run;
      if (result.status === 'synced' && (result.updated || result.unknownSkus.length)) {
        this.logger.log(`ERP stock sync: ${result.updated} levels updated, ${result.unknownSkus.length} unknown SKUs skipped`);
      }
    } catch (err) {
      this.logger.warn(`ERP stock sync failed, next try in ${this.options.erp?.syncIntervalMs} ms: ${(err as Error).message}`);
    } finally {
      this.running = undefined;
    }
  }
}
