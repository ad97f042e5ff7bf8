import { Injectable, Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { MetricsRegistry } from '@crm/observability';
import { StockRepository } from './stock.repository';

export type DeductionOutcome = 'deducted' | 'insufficient';
export type LedgerKind = 'builtin' | 'erp';

/** Business metrics of the inventory service; every label has a small fixed set of values. */
@Injectable()
export class InventoryMetrics {
  private readonly logger = new Logger(InventoryMetrics.name);
  readonly deductions: Counter<'outcome' | 'ledger'>;
  readonly lowStockAlerts: Counter<string>;

  constructor(registry: MetricsRegistry, stock: StockRepository) {
    this.deductions = registry.counter({
      name: 'inventory_stock_deductions_total',
      help: 'Order stock decisions by outcome (deducted | insufficient) and by who decided (builtin | erp)',
      labelNames: ['outcome', 'ledger'],
    });
    this.lowStockAlerts = registry.counter({ name: 'inventory_stock_low_alerts_total', help: 'stock.low alerts raised (one per crossing of a reorder point)' });
    const logger = this.logger;
    registry.gauge({
      name: 'inventory_low_stock_levels',
      help: 'Stock levels (SKU x warehouse) now at or below their reorder point',
      // Read at scrape time from the database, so every replica reports the same truth.
      async collect() {
        try {
          this.set(await stock.countLow());
        } catch (err) {
          logger.warn(`low-stock gauge not refreshed: ${(err as Error).message}`);
        }
      },
    });
  }

  recordDeduction(outcome: DeductionOutcome, ledger: LedgerKind): void {
    this.deductions.inc({ outcome, ledger });
  }
}
