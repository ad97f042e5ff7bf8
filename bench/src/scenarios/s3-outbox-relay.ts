import { DataSource } from 'typeorm';
import { ALL_TOPICS, Topics } from '@crm/contracts';
import {
  CreateMessagingTables1764201600000,
  InboxConsumer,
  KafkaEventPublisher,
  OutboxRelay,
  appendToOutbox,
  ensureTopics,
  type EventPublisher,
  type OutgoingMessage,
} from '@crm/messaging';
import { kafkaLatency, rawConsume, rawProduceMessages } from '../baselines';
import { cpuMsBetween, cpuSnapshot, metered, type Cpu } from '../lib/cpu';
import { kibEvent, type BenchContext } from '../lib/context';
import { Latencies, openLoop, repeated, round, sleep } from '../lib/stats';
import { retriable } from '../lib/stats';

/**
 * 3. The outbox relay as the services run it (batches of 500, idempotent producer, acks=all): drain rate of a
 * pre-filled outbox, publish lag (commit → message consumed) at 1,000 events/s written 10 per transaction, and
 * the hop of the order saga: one event per transaction at 50/s, written → handled by an InboxConsumer.
 */
export async function outboxRelay(ctx: BenchContext): Promise<void> {
  const db = await ctx.database('relay');
  const ds = new DataSource({ type: 'postgres', url: db.url, migrations: [CreateMessagingTables1764201600000], extra: { max: 4 } });
  await ds.initialize();
  await ds.runMigrations();
  const kafka = await ctx.kafka();
  const prefix = `${ctx.prefix}relay.`;
  await retriable(() =>
    ensureTopics(
      kafka,
      ALL_TOPICS.map((t) => ({ topic: `${prefix}${t}` })),
    ),
  );
  const publisher = new KafkaEventPublisher(kafka);
  const n = ctx.scale.messages;
  try {
    // The warm-up drain keeps what the relay sent: the raw baseline below sends the very same messages.
    let sent: OutgoingMessage[] = [];
    const drain = await repeated(
      ctx.scale.reps,
      1,
      async (rep) => {
        await ds.query('TRUNCATE outbox');
        for (let i = 0; i < n; i += 1000) {
          await ds.transaction((m) =>
            appendToOutbox(
              m,
              Array.from({ length: Math.min(1000, n - i) }, (_, j) => kibEvent(i + j)),
            ),
          );
        }
        const recording: EventPublisher = { publish: (ms) => (sent.push(...ms), publisher.publish(ms)) };
        const relay = new OutboxRelay(ds, rep < 0 ? recording : publisher, { topicPrefix: prefix });
        return metered(ctx.prefixes, db.name, n, async () => {
          let published = 0;
          while (published < n) published += await relay.publishPending();
        });
      },
      (r) => r.rate,
    );
    const raw = ctx.baselines.rawProduce;
    const cpuNote = (runs: { cpu: Cpu }[]) => runs.map(({ cpu }) => `${cpu.process}/${cpu.postgres}/${cpu.kafka}`).join(', ');
    ctx.row({
      scenario: '3 Outbox relay',
      figure: 'published events/s (drain of a filled outbox)',
      value: round(drain.median),
      unit: 'events/s',
      baseline: { name: 'raw kafkajs produce (batched, acks=all)', value: raw, unit: 'msg/s' },
      goal: '>= 0.50 x raw produce',
      met: drain.median / raw >= 0.5,
      note: `${n} events of ~1 KiB per run, runs ${drain.values.map((v) => round(v)).join(', ')}; CPU ms per 1,000 events (relay process / its database's PostgreSQL backends / Kafka broker, shared) ${cpuNote(drain.runs)}; raw produce's ${ctx.baselines.rawProduceCpuMs} / - / ${ctx.baselines.rawProduceBrokerCpuMs}`,
    });

    // The same messages (the relay's headers, keys and ~1.5 KiB values) produced raw, in the same run: what is
    // left between the two is the relay's own cost (SQL, marking), not kafkajs' cost per header and byte.
    if (sent.some((m) => m.topic !== sent[0].topic)) throw new Error('the raw baseline sends to one topic: the drain wrote to several');
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const same = await repeated(
      ctx.scale.reps,
      0,
      () =>
        metered(ctx.prefixes, db.name, sent.length, () =>
          rawProduceMessages(
            producer,
            sent[0].topic,
            sent.map(({ key, value, headers }) => ({ key, value, headers })),
          ),
        ),
      (r) => r.rate,
    ).finally(() => producer.disconnect());
    sent = [];
    ctx.row({
      scenario: '3 Outbox relay',
      figure: 'published events/s (drain) vs raw produce of the same messages',
      value: round(drain.median),
      unit: 'events/s',
      baseline: { name: "raw kafkajs produce of the relay's messages (4 headers, same values)", value: round(same.median), unit: 'msg/s' },
      goal: 'informative (the relay own cost: SQL read and marking)',
      met: null,
      note: `raw runs ${same.values.map((v) => round(v)).join(', ')}; CPU ms per 1,000 messages (producing process / PostgreSQL / Kafka) ${cpuNote(same.runs)}`,
    });

    // Publish lag at 1,000 events/s: the running relay (LISTEN/NOTIFY), a consumer timing each event's arrival.
    const seconds = ctx.scale.smoke ? 3 : 20;
    const lagRuns = await repeated(
      ctx.scale.reps,
      0,
      async (rep) => {
        await ds.query('TRUNCATE outbox');
        // A topic of its own per run: the consumer reads it from the beginning.
        const runPrefix = `${ctx.prefix}lag${rep}.`;
        await retriable(() => ensureTopics(kafka, [{ topic: `${runPrefix}${Topics.leads}` }]));
        const relay = new OutboxRelay(ds, publisher, { topicPrefix: runPrefix });
        relay.start();
        const due = new Map<string, number>();
        const lat = new Latencies();
        const total = Math.floor(1000 * seconds);
        const topic = `${runPrefix}${Topics.leads}`;
        const consumer = await rawConsume(kafka, topic, total, (value, now) => {
          const id = /"id":\s*"([^"]+)"/.exec(value.toString())?.[1];
          const at = id ? due.get(id) : undefined;
          if (at !== undefined) lat.record(now - at);
        });
        await sleep(3_000); // the group joins before the clock starts
        const load = await openLoop(100, seconds * 1000, async (i, at) => {
          const events = Array.from({ length: 10 }, (_, j) => kibEvent(i * 10 + j));
          for (const e of events) due.set(e.id, at);
          await ds.transaction((m) => appendToOutbox(m, events));
        });
        await Promise.all(load.pending);
        await Promise.race([consumer.done, sleep(30_000)]);
        await consumer.consumer.disconnect();
        await relay.stop();
        if (lat.count < total * 0.99) throw new Error(`relay lag run saw ${lat.count} of ${total}`);
        return lat.summary();
      },
      (s) => s.p99,
    );
    const rawLat = await kafkaLatency(ctx, 1000, seconds);
    ctx.row({
      scenario: '3 Outbox relay',
      figure: 'publish lag p99 at 1,000 events/s (write due → consumed)',
      value: round(lagRuns.median, 1),
      unit: 'ms',
      baseline: { name: 'raw produce→consume p99 at 1,000/s', value: rawLat.p99, unit: 'ms' },
      ratio: round(lagRuns.median / rawLat.p99, 2),
      goal: 'p99 < 100 ms',
      met: lagRuns.median < 100,
      note: `relay p50/p95/p99 ${lagRuns.medianRun.p50}/${lagRuns.medianRun.p95}/${lagRuns.medianRun.p99} ms; raw ${rawLat.p50}/${rawLat.p95}/${rawLat.p99} ms; 10 events per transaction, ${seconds} s per run`,
    });

    const hops = await repeated(
      ctx.scale.reps,
      0,
      (rep) => relayHop(ctx, ds, publisher, `${ctx.prefix}hop${rep}.`, seconds),
      (s) => s.p50,
    );
    ctx.row({
      scenario: '3 Outbox relay',
      figure: 'relay + broker hop p50 at 50 events/s (written → handled by an InboxConsumer)',
      value: round(hops.median, 1),
      unit: 'ms',
      goal: 'informative (the order saga has three such hops)',
      met: null,
      note: `p50/p95/p99 per run ${hops.values.map((_, i) => `${hops.runs[i].p50}/${hops.runs[i].p95}/${hops.runs[i].p99}`).join(', ')} ms; CPU ms per 1,000 events (bench process: writer, relay and consumer / PostgreSQL / Kafka) ${hops.runs.map((r) => `${r.cpu.bench}/${r.cpu.postgres}/${r.cpu.kafka}`).join(', ')}; ${seconds} s per run`,
    });
  } finally {
    await publisher.close();
    await ds.destroy();
  }
}

/**
 * One event per transaction at 50/s, as a service of the order saga writes them: from the moment the event is
 * created (its transaction still to run) until an InboxConsumer's handler has it, through a running relay.
 */
async function relayHop(ctx: BenchContext, ds: DataSource, publisher: KafkaEventPublisher, prefix: string, seconds: number) {
  const kafka = await ctx.kafka();
  await ds.query('TRUNCATE outbox');
  await retriable(() => ensureTopics(kafka, [{ topic: `${prefix}${Topics.leads}` }]));
  const relay = new OutboxRelay(ds, publisher, { topicPrefix: prefix });
  relay.start();
  const due = new Map<string, number>();
  const lat = new Latencies();
  const consumer = new InboxConsumer(kafka, ds, publisher, {
    groupId: `${prefix}hop`,
    topicPrefix: prefix,
    handlers: new Map([
      [
        'crm.lead.captured',
        async (event) => {
          const at = due.get(event.id);
          if (at !== undefined) lat.record(performance.now() - at);
        },
      ],
    ]),
  });
  try {
    await consumer.start();
    await sleep(3_000); // the group joins before the clock starts
    const before = cpuSnapshot(ctx.prefixes);
    const load = await openLoop(50, seconds * 1000, async (i) => {
      const event = kibEvent(i);
      due.set(event.id, performance.now());
      await ds.transaction((m) => appendToOutbox(m, [event]));
    });
    await Promise.all(load.pending);
    for (let waited = 0; lat.count < load.offered && waited < 10_000; waited += 100) await sleep(100);
    const cpu = cpuMsBetween(before, cpuSnapshot(ctx.prefixes));
    if (lat.count < load.offered * 0.99) throw new Error(`relay hop run saw ${lat.count} of ${load.offered}`);
    const perThousand = (group: string) => round(((cpu[group] ?? 0) * 1000) / load.offered);
    return { ...lat.summary(), cpu: { bench: perThousand('bench'), postgres: perThousand('postgres'), kafka: perThousand('kafka') } };
  } finally {
    await consumer.stop();
    await relay.stop();
  }
}
