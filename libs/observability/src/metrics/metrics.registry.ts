import { Inject, Injectable } from '@nestjs/common';
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
  type Metric,
} from 'prom-client';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from '../observability.options';

type MetricClass = typeof Counter | typeof Gauge | typeof Histogram;

/**
 * How often the event-loop delay histogram samples (prom-client's default is 10 ms: 100 wake-ups a second of an
 * otherwise idle process). Every stall longer than this still shows in the max and the upper percentiles.
 */
export const EVENT_LOOP_MONITORING_PRECISION_MS = 100;

/**
 * One prom-client Registry per application instance. The global default registry is never used,
 * so several apps in one process (tests, or two modules of one service) cannot collide.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor(@Inject(OBSERVABILITY_OPTIONS) options: ObservabilityOptions) {
    this.registry.setDefaultLabels({ service: options.serviceName });
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_MONITORING_PRECISION_MS });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Prometheus text exposition of every metric in this registry. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** Returns the counter with this name, creating it on first use, so modules asking for it share one. */
  counter<T extends string>(config: CounterConfiguration<T>): Counter<T> {
    return this.getOrCreate(Counter, config) as Counter<T>;
  }

  /** Returns the gauge with this name, creating it on first use. */
  gauge<T extends string>(config: GaugeConfiguration<T>): Gauge<T> {
    return this.getOrCreate(Gauge, config) as Gauge<T>;
  }

  /** Returns the histogram with this name, creating it on first use. */
  histogram<T extends string>(config: HistogramConfiguration<T>): Histogram<T> {
    return this.getOrCreate(Histogram, config) as Histogram<T>;
  }

  private getOrCreate(type: MetricClass, config: { name: string; labelNames?: readonly string[] }): Metric<string> {
    const existing = this.registry.getSingleMetric(config.name);
    if (!existing) {
      return new type({ ...config, registers: [this.registry] } as never) as Metric<string>;
    }
    // Sharing a metric only works if both callers mean the same one; a mismatch is a bug to surface at boot.
    if (!(existing instanceof type)) {
      throw new Error(`Metric "${config.name}" already exists as a different type than ${type.name}`);
    }
    const existingLabels = sortedLabels((existing as unknown as { labelNames?: string[] }).labelNames);
    if (existingLabels !== sortedLabels(config.labelNames)) {
      throw new Error(`Metric "${config.name}" already exists with labels [${existingLabels}]`);
    }
    return existing;
  }
}

function sortedLabels(labelNames: readonly string[] | undefined): string {
  return [...(labelNames ?? [])].sort().join(',');
}
