import type { FactStep, FactWriteKind, FactWriteRows } from './fact-writes';
import type { ProjectionContext } from './projection-context';

/** Where the applied event came from: its partition's watermark moves. */
export interface EventOrigin {
  topic: string;
  partition: number;
}

/** How many events of a topic partition a batch applied, and the latest event time among them. */
export interface Watermark extends EventOrigin {
  time: Date;
  count: number;
}

/**
 * What a transaction's events left for `Projector.flush`: their writes to the facts (in event order, applied
 * set-based at the flush), the facts to re-project (each once, however many events touched it) and, per topic
 * partition, how many events were applied and the latest event time.
 */
export class ProjectionBatch {
  private steps: FactStep[] = [];
  readonly leads = new Set<string>();
  /** Leads whose source changed: their opportunities (and those's orders) are re-projected too. */
  readonly capturedLeads = new Set<string>();
  readonly opportunities = new Set<string>();
  /** Opportunities whose orders resolve a dimension through them (lead, source): those are re-projected too. */
  readonly opportunitiesWithOrders = new Set<string>();
  readonly orders = new Set<string>();
  /** Orders whose lead's funnel (won, paid) may have moved. */
  readonly leadsOfOrders = new Set<string>();
  readonly watermarks = new Map<string, Watermark>();

  /** An event's write to its fact (`key`: the fact), applied with the batch's others of its kind at the flush. */
  write<K extends FactWriteKind>(kind: K, key: string, row: FactWriteRows[K]): void {
    this.steps.push({ kind, key, row } as FactStep);
  }

  /** Work that needs the database as it stands (a read, a write that is not set-based): run at the flush, in event order. */
  later(run: (ctx: ProjectionContext) => Promise<void>): void {
    this.steps.push({ run });
  }

  /** The writes and steps so far, in order; the batch forgets them. */
  takeSteps(): FactStep[] {
    const steps = this.steps;
    this.steps = [];
    return steps;
  }

  opportunity(id: string, withOrders: boolean): void {
    this.opportunities.add(id);
    if (withOrders) this.opportunitiesWithOrders.add(id);
  }

  applied({ topic, partition }: EventOrigin, time: Date): void {
    const key = `${topic}\u0000${partition}`;
    const mark = this.watermarks.get(key);
    if (!mark) this.watermarks.set(key, { topic, partition, time, count: 1 });
    else {
      mark.count += 1;
      if (time > mark.time) mark.time = time;
    }
  }

  /** The watermarks in (topic, partition) order: the order their rows are locked in. */
  sortedWatermarks(): Watermark[] {
    return [...this.watermarks.values()].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }

  clear(): void {
    for (const set of [this.leads, this.capturedLeads, this.opportunities, this.opportunitiesWithOrders, this.orders, this.leadsOfOrders]) set.clear();
    this.watermarks.clear();
    this.steps = [];
  }
}
