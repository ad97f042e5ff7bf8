import type { Admin, Kafka } from 'kafkajs';
import type { MessagingMetrics } from '../messaging-metrics';

export interface ConsumerLagMonitorOptions {
  /** How often the broker is asked (default 15 s, the usual scrape interval). */
  intervalMs?: number;
  metrics: MessagingMetrics;
  logger?: { warn(message: string): void };
}

export const DEFAULT_LAG_INTERVAL_MS = 15_000;

/**
 * Reads each watched consumer group's committed offsets and the topics' high watermarks from the broker on an
 * interval, and exports the difference per partition (`crm_consumer_lag`). Measured from the broker, a consumer
 * that is stuck, paused or gone shows its lag growing, where a figure taken after each batch would freeze.
 * Every replica reports the same figures (alerts take the max per partition). Whether the broker answered is
 * `crm_kafka_up`: Kafka's health is a metric and an alert, not readiness, because writes go to the outbox
 * and wait there while Kafka is away.
 */
export class ConsumerLagMonitor {
  private readonly groups = new Map<string, string[]>();
  private readonly intervalMs: number;
  private admin?: Admin;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: ConsumerLagMonitorOptions,
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_LAG_INTERVAL_MS;
  }

  watch(groupId: string, topics: string[]): void {
    this.groups.set(groupId, topics);
    if (this.timer) void this.poll(); // a consumer started after the monitor shows up at once
  }

  start(): void {
    if (this.timer) return;
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
  }

  /** One pass; a pass still under way (a slow or absent broker) is not doubled. */
  poll(): Promise<void> {
    this.running ??= this.measure().finally(() => (this.running = undefined));
    return this.running;
  }

  private async measure(): Promise<void> {
    try {
      if (!this.admin) {
        const admin = this.kafka.admin({ retry: { retries: 0 } });
        await admin.connect();
        this.admin = admin;
      }
      if (this.groups.size === 0) await this.admin.describeCluster();
      for (const [groupId, topics] of this.groups) await this.measureGroup(this.admin, groupId, topics);
      this.options.metrics.kafkaUp.set(1);
    } catch (error) {
      this.options.metrics.kafkaUp.set(0);
      this.options.logger?.warn(`cannot read consumer offsets from Kafka: ${(error as Error).message}`);
      // A fresh connection next time: the broker may have come back elsewhere.
      const admin = this.admin;
      this.admin = undefined;
      await admin?.disconnect().catch(() => undefined);
    }
  }

  private async measureGroup(admin: Admin, groupId: string, topics: string[]): Promise<void> {
    const committed = await admin.fetchOffsets({ groupId, topics });
    for (const { topic, partitions } of committed) {
      const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p]));
      for (const { partition, offset } of partitions) {
        const end = ends.get(partition);
        if (!end) continue;
        // No commit yet: the group starts from the beginning (fromBeginning), so all that is kept is behind.
        const from = Number(offset) >= 0 ? Number(offset) : Number(end.low);
        this.options.metrics.consumerLag.set({ group: groupId, topic, partition }, Math.max(0, Number(end.high) - from));
      }
    }
  }
}
