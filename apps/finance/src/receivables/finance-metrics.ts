import { Injectable } from '@nestjs/common';
import type { Counter, Gauge } from 'prom-client';
import { MetricsRegistry } from '@crm/observability';

/** Business metrics of finance; the only label is the ISO currency code, a bounded set. */
@Injectable()
export class FinanceMetrics {
  readonly receivablesOpened: Counter<string>;
  readonly paymentsAmount: Counter<'currency'>;
  readonly overdueReceivables: Gauge<string>;

  constructor(metrics: MetricsRegistry) {
    this.receivablesOpened = metrics.counter({ name: 'finance_receivables_opened_total', help: 'Receivables opened for confirmed orders' });
    this.paymentsAmount = metrics.counter({
      name: 'finance_payments_amount_total',
      help: 'Sum of recorded payments, by currency (for dashboards; the ledger itself is exact decimals)',
      labelNames: ['currency'],
    });
    this.overdueReceivables = metrics.gauge({
      name: 'finance_receivables_overdue',
      help: 'Receivables past their due date with money outstanding, as of the last overdue job run',
    });
  }
}
