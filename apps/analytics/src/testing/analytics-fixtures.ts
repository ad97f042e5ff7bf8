import Big from 'big.js';
import { definitionOf, type EventEnvelope, type EventName } from '@crm/contracts';
import { MessagingRuntime } from '@crm/messaging';
import { testKafka, type TestService } from '@crm/testing';
import { AGGREGATES, AGGREGATE_TABLES } from '../projection/aggregates';

export const ADMIN = { sub: 'analytics-admin', roles: ['admin'] };

/** Publishes many events in a few batched sends (per topic, keyed by subject), as the producers' relays would. */
export async function publishMany(svc: TestService, events: readonly EventEnvelope[]): Promise<void> {
  const kafka = await testKafka('analytics-test-bulk');
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const byTopic = new Map<string, { key: string; value: string }[]>();
    for (const e of events) {
      const topic = `${svc.prefix}${definitionOf(e.type.replace(/^crm\./, '') as EventName).topic}`;
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), { key: e.subject, value: JSON.stringify(e) }]);
    }
    for (const [topic, messages] of byTopic) {
      for (let i = 0; i < messages.length; i += 500) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 500) });
    }
  } finally {
    await producer.disconnect();
  }
}

/** How many events the live consumer applied, or skipped as already applied. */
export async function consumed(svc: TestService, outcome: 'applied' | 'duplicate'): Promise<number> {
  const metric = await svc.app.get(MessagingRuntime).metrics.eventsConsumed.get();
  return metric.values.filter((v) => v.labels.outcome === outcome).reduce((a, v) => a + v.value, 0);
}

export const inboxCount = async (svc: TestService) => Number((await svc.dataSource.query('SELECT count(*) AS n FROM inbox'))[0].n);

/** Every non-zero aggregate row and the watermarks, as text: two read models agree iff these are equal. */
export async function snapshotReadModel(svc: TestService): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of AGGREGATE_TABLES) {
    const { dims, measures } = AGGREGATES[table];
    const names = Object.keys(measures);
    out[table] = await svc.dataSource.query(
      `SELECT ${[...dims, ...names].map((c) => `${c}::text AS ${c}`).join(', ')} FROM ${table}
        WHERE ${names.map((m) => `${m} <> 0`).join(' OR ')} ORDER BY ${dims.join(', ')}`,
    );
  }
  out.watermark = await svc.dataSource.query('SELECT topic, partition, last_event_time::text, events_applied::text FROM analytics_watermark ORDER BY 1, 2');
  return out;
}

export const big = (v: string | number) => new Big(v);
