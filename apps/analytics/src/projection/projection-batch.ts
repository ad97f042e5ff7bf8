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
 * What a transaction's events left for `Projector.flush`: the facts to re-project (each once, however many
 * events touched it) and, per topic partition, how many events were applied and the latest event time.
 */
export class ProjectionBatch {
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
  }
}
