import type { Kafka, Producer } from 'kafkajs';
import { definitionOf, type EventName } from '@crm/contracts';
import { PROJECTED_EVENT_TYPES } from '../../../apps/analytics/src/projection/projection.registry';
import { generateYear } from '../../../apps/analytics/src/testing/year-fixture';
import { sleep } from './stats';

const UUID_HEAD = /"[0-9a-f]{8}-([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/g;

/** The event types the analytics service subscribes to: its projection registry's list. */
export function analyticsEventTypes(): Set<string> {
  return new Set(PROJECTED_EVENT_TYPES);
}

/**
 * An endless, realistic event stream for analytics: the year fixture's journey (reps, leads, opportunities,
 * orders, payments, feedback) repeated in rounds, each round with fresh ids (every uuid's first group
 * replaced by the round number) so every round is a new set of entities and every event a new inbox id.
 */
export class AnalyticsEventStream {
  private readonly template: string;
  private readonly topics: string[];
  private round = 0;
  private buffer: { topic: string; key: string; value: string }[] = [];
  produced = 0;

  constructor(
    private readonly prefix: string,
    seed = 2025,
  ) {
    const types = analyticsEventTypes();
    const events = generateYear(seed).events.filter((e) => types.has(e.type));
    this.template = events.map((e) => JSON.stringify(e)).join('\n');
    this.topics = events.map((e) => definitionOf(e.type.replace(/^crm\./, '') as EventName).topic);
  }

  get perRound(): number {
    return this.topics.length;
  }

  private refill() {
    const head = (0x10000000 + this.round++).toString(16);
    const values = this.template.replace(UUID_HEAD, `"${head}-$1"`).split('\n');
    this.buffer = values.map((v, i) => ({ topic: `${this.prefix}${this.topics[i]}`, key: /"subject":"([^"]+)"/.exec(v)![1], value: v }));
    this.buffer.reverse(); // popped from the end: the fixture's order
  }

  /** The next `n` events; with `stampNow` their envelope time is the moment they are sent (for freshness). */
  take(n: number, stampNow: boolean) {
    const out: { topic: string; key: string; value: string }[] = [];
    const now = new Date().toISOString();
    while (out.length < n) {
      if (!this.buffer.length) this.refill();
      const m = this.buffer.pop()!;
      out.push(stampNow ? { ...m, value: m.value.replace(/"time":"[^"]+"/, `"time":"${now}"`) } : m);
    }
    this.produced += n;
    return out;
  }

  async send(producer: Producer, n: number, stampNow = false) {
    const msgs = this.take(n, stampNow);
    const byTopic = new Map<string, { key: string; value: string }[]>();
    for (const m of msgs) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), { key: m.key, value: m.value }]);
    await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  }

  /** Sends at `rate` events/s in 100 ms slices until `stop()` is called; resolves when the last send is done. */
  startAt(producer: Producer, rate: number, stampNow = true) {
    let running = true;
    const loop = (async () => {
      const start = performance.now();
      let sent = 0;
      while (running) {
        const due = Math.floor(((performance.now() - start) / 1000) * rate);
        if (due > sent) {
          const n = Math.min(due - sent, 5_000);
          await this.send(producer, n, stampNow);
          sent += n;
        } else await sleep(20);
      }
    })();
    return {
      stop: async () => {
        running = false;
        await loop;
      },
    };
  }
}

export async function bulkProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return producer;
}
