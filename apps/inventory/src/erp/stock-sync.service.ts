import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { appendToOutbox } from '@crm/messaging';
import { inTransaction } from '@crm/persistence';
import { INVENTORY_OPTIONS, type InventoryOptions } from '../inventory.options';
import { InventoryMetrics } from '../stock/inventory-metrics';
import { OrderStockService } from '../stock/order-stock.service';
import { ERP_CONNECTOR, type ErpConnector } from './erp-connector';
import { decideErpSync } from './erp-stock.domain';
import { ErpStockRepository } from './erp-stock.repository';

export type StockSyncResult =
  | { status: 'disabled' }
  /** Another replica holds the sync lock: it is doing this pass. */
  | { status: 'skipped' }
  | { status: 'synced'; updated: number; unchanged: number; unknownSkus: string[] };

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
    private readonly stock: ErpStockRepository,
    private readonly metrics: InventoryMetrics,
    private readonly scheduler: SchedulerRegistry,
    private readonly orderStock: OrderStockService,
    @Inject(INVENTORY_OPTIONS) private readonly options: InventoryOptions,
    @Optional() @Inject(ERP_CONNECTOR) private readonly erp: ErpConnector | null = null,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.erp || !this.options.erp) return;
    // Registered with the scheduler so that it is cleared with the other jobs at shutdown.
    this.scheduler.addInterval(
      STOCK_SYNC_JOB,
      setInterval(() => void this.runScheduled(), this.options.erp.syncIntervalMs),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** The job itself; tests call it directly. Waiting orders that need a SKU whose level changed are served after it commits. */
  async syncFromErp(): Promise<StockSyncResult> {
    const erp = this.erp;
    if (!erp) return { status: 'disabled' };
    let changed: string[] = [];
    const result = await inTransaction(this.dataSource, async (m): Promise<StockSyncResult> => {
      if (!(await this.stock.trySyncLock(m))) return { status: 'skipped' };
      const latest = await erp.fetchStockLevels();
      const skus = [...new Set(latest.map((l) => l.sku))];
      const known = await this.stock.knownSkus(m, skus);
      const wanted = latest.filter((l) => known.has(l.sku));
      const rows = await this.stock.lockForSync(m, wanted, [...known]);
      const { changes, events } = decideErpSync(rows, latest, erp.name, new Date());
      await this.stock.save(m, changes);
      await appendToOutbox(m, events);
      if (changes.lowAlerts) this.metrics.lowStockAlerts.inc(changes.lowAlerts);
      const updated = changes.levels.length;
      changed = [...new Set(changes.levels.map((l) => l.sku))];
      return { status: 'synced', updated, unchanged: wanted.length - updated, unknownSkus: skus.filter((s) => !known.has(s)).sort() };
    });
    if (changed.length) await this.orderStock.serveBackorders(changed);
    return result;
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
