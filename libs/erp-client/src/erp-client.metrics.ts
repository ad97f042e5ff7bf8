import type { Counter, Gauge, Histogram } from 'prom-client';
import type { MetricsRegistry } from '@crm/observability';

export interface ErpClientMetrics {
  requests: Counter<'erp' | 'method' | 'outcome' | 'status'>;
  duration: Histogram<'erp' | 'method'>;
  circuitState: Gauge<'erp'>;
  unavailable: Gauge<'erp'>;
}

/** Outcome of one HTTP request (or one not sent: `circuit_open`). */
export type RequestOutcome = 'ok' | 'rejected' | 'unavailable' | 'timeout' | 'network' | 'circuit_open';

/** `crm_erp_*` on the service's registry; `erp` names the ERP connection (a bounded set per service). */
export function createErpClientMetrics(metrics: MetricsRegistry): ErpClientMetrics {
  return {
    requests: metrics.counter({
      name: 'crm_erp_requests_total',
      help: 'HTTP requests to an ERP, by outcome (ok, rejected, unavailable, timeout, network, circuit_open) and status ("none" without an answer)',
      labelNames: ['erp', 'method', 'outcome', 'status'],
    }),
    duration: metrics.histogram({
      name: 'crm_erp_request_duration_seconds',
      help: 'Time of one HTTP request to an ERP, answer body included',
      labelNames: ['erp', 'method'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
    circuitState: metrics.gauge({ name: 'crm_erp_circuit_state', help: 'Circuit breaker of an ERP: 0 closed, 1 half-open, 2 open', labelNames: ['erp'] }),
    unavailable: metrics.gauge({
      name: 'crm_erp_unavailable',
      help: '1 while the last call to an ERP found it unusable (events wait for it), 0 once it answers again',
      labelNames: ['erp'],
    }),
  };
}
