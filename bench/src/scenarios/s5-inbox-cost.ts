import { DataSource, type EntityManager } from 'typeorm';
import { Topics, decodeEvent, type EventEnvelope } from '@crm/contracts';
import { CreateMessagingTables1764201600000, InboxConsumer, KafkaEventPublisher, ensureTopics } from '@crm/messaging';
import { kibEvent, type BenchContext } from '../lib/context';
import { repeated, round, sleep } from '../lib/stats';
import { retriable } from '../lib/stats';

/**
 * 5. The idempotent consumer (InboxConsumer: inbox claim + effect in one transaction per chunk) against the same
 * consumer without the inbox: kafkajs eachBatch, the same chunks of 100 in one transaction, the same effect.
 */
export async function inboxCost(ctx: BenchContext): Promise<void> {
  const db = await ctx.database('inbox');
  const ds = new DataSource({ type: 'postgres', url: db.url, migrations: [CreateMessagingTables1764201600000], extra: { max: 4 } });
  await ds.initialize();
  await ds.runMigrations();
  await ds.query('CREATE TABLE bench_effects (event_id uuid NOT NULL, lead_id uuid NOT NULL, at timestamptz NOT NULL DEFAULT now())');
  const kafka = await ctx.kafka();
  const prefix = `${ctx.prefix}inbox.`;
  const topic = `${prefix}${Topics.leads}`;
  await retriable(() => ensureTopics(kafka, [{ topic }]));
  const publisher = new KafkaEventPublisher(kafka);
  const n = ctx.scale.messages;
  for (let i = 0; i < n; i += 500) {
    await retriable(() =>
      publisher.publish(
        Array.from({ length: Math.min(500, n - i) }, (_, j) => {
          const e = kibEvent(i + j);
          return { topic, key: e.subject, value: JSON.stringify(e) };
        }),
      ),
    );
  }
  const effect = (event: EventEnvelope, manager: EntityManager) =>
    manager.query('INSERT INTO bench_effects (event_id, lead_id) VALUES ($1, $2)', [event.id, event.subject]);

  // Both variants count effects in memory and time the first to the n-th.
  const timed = async (startConsumer: (onEffect: () => void) => Promise<() => Promise<void>>) => {
    let count = 0;
    let first = 0;
    let last = 0;
    const stop = await startConsumer(() => {
      const now = performance.now();
      if (!count++) first = now;
      last = now;
    });
    const deadline = Date.now() + 600_000;
    while (count < n && Date.now() < deadline) await sleep(50);
    await stop();
    if (count < n) throw new Error(`consumed ${count} of ${n}`);
    return n / ((last - first) / 1000);
  };
  const withInbox = () =>
    timed(async (onEffect) => {
      const consumer = new InboxConsumer(kafka, ds, publisher, {
        groupId: `${prefix}inbox-${crypto.randomUUID()}`,
        topicPrefix: prefix,
        handlers: new Map([
          [
            'crm.lead.captured',
            async (event, { manager }) => {
              await effect(event, manager);
              onEffect();
            },
          ],
        ]),
      });
      await consumer.start();
      return () => consumer.stop();
    });
  const withoutInbox = () =>
    timed(async (onEffect) => {
      const consumer = kafka.consumer({ groupId: `${prefix}plain-${crypto.randomUUID()}` });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachBatch: async ({ batch, heartbeat }) => {
          for (let i = 0; i < batch.messages.length; i += 100) {
            const events = batch.messages.slice(i, i + 100).map((m) => decodeEvent(m.value));
            await ds.transaction(async (manager) => {
              for (const e of events) await effect(e, manager);
            });
            events.forEach(onEffect);
            await heartbeat();
          }
        },
      });
      return () => consumer.disconnect();
    });
  try {
    const pairs = await repeated(
      ctx.scale.reps,
      0,
      async () => {
        const plain = await withoutInbox();
        const inbox = await withInbox();
        return { plain, inbox };
      },
      (p) => p.inbox / p.plain,
    );
    const mid = pairs.medianRun;
    ctx.row({
      scenario: '5 Idempotent consumer',
      figure: 'inbox-deduplicated consume rate',
      value: round(mid.inbox),
      unit: 'events/s',
      baseline: { name: 'same consumer without the inbox', value: round(mid.plain), unit: 'events/s' },
      ratio: round(pairs.median, 3),
      goal: '>= 0.70 x without dedup',
      met: pairs.median >= 0.7,
      note: `${n} events of ~1 KiB, one row written per event, chunks of 100 per transaction; pairs ${pairs.runs.map((p) => `${round(p.inbox)}/${round(p.plain)}`).join(', ')}; raw eachBatch consume ${ctx.baselines.rawConsume}/s`,
    });
  } finally {
    await publisher.close();
    await ds.destroy();
  }
}
