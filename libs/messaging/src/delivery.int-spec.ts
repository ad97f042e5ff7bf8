import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ALL_TOPICS, DLQ_HEADERS, Topics, createEvent, dlqTopic, type EventEnvelope } from '@crm/contracts';
import { MetricsRegistry } from '@crm/observability';
import {
  createTestDataSource,
  deleteTopicsWithPrefix,
  eventually,
  readTopic,
  testInfra,
  testKafka,
  uniqueTopicPrefix,
  type TestDataSource,
} from '@crm/testing';
import {
  CreateMessagingTables1764201600000,
  InboxConsumer,
  KafkaEventPublisher,
  NonRetryableError,
  OutboxRelay,
  appendToOutbox,
  createMessagingMetrics,
  ensureTopics,
  replayDeadLetters,
  type EventHandler,
  type MessagingMetrics,
} from './index';

// A stand-in service state: one row per order, and one row per applied effect (no unique key, so
// a double application would show as two rows).
class CreateTestTables1764201609999 implements MigrationInterface {
  async up(q: QueryRunner) {
    await q.query('CREATE TABLE test_orders (id uuid PRIMARY KEY, status text NOT NULL)');
    await q.query('CREATE TABLE test_effects (id serial PRIMARY KEY, order_id uuid NOT NULL, event_id uuid NOT NULL)');
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE test_effects; DROP TABLE test_orders');
  }
}

const ORDERS = Topics.orders;
const allocated = (orderId = randomUUID()) => createEvent('order.allocated', { subject: orderId, data: { orderId, at: new Date().toISOString() } });

describe('reliable delivery: outbox → Kafka → inbox (real broker and PostgreSQL)', () => {
  let db: TestDataSource;
  let kafka: Kafka;
  let prefix: string;
  let publisher: KafkaEventPublisher;
  let metrics: MessagingMetrics;
  const running: InboxConsumer[] = [];

  const topic = (t: string) => `${prefix}${t}`;
  const effectsOf = async (orderId: string): Promise<number> =>
    (await db.dataSource.query('SELECT count(*)::int AS n FROM test_effects WHERE order_id = $1', [orderId]))[0].n;
  const recordEffect: EventHandler = async (event, { manager }) => {
    await manager.query('INSERT INTO test_effects (order_id, event_id) VALUES ($1, $2)', [event.subject, event.id]);
  };
  const startConsumer = async (handler: EventHandler = recordEffect, extra: Partial<ConstructorParameters<typeof InboxConsumer>[3]> = {}) => {
    const consumer = new InboxConsumer(kafka, db.dataSource, publisher, {
      groupId: `${prefix}orders-test`,
      topicPrefix: prefix,
      handlers: new Map([['crm.order.allocated', handler]]),
      backoff: { initialMs: 20, maxMs: 100 },
      metrics,
      ...extra,
    });
    await consumer.start();
    running.push(consumer);
    return consumer;
  };
  const stopAll = async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  };
  const consumedCount = async (outcome: string) =>
    (await metrics.eventsConsumed.get()).values.filter((v) => v.labels.outcome === outcome).reduce((n, v) => n + v.value, 0);

  beforeAll(async () => {
    db = await createTestDataSource({ prefix: 'messaging', migrations: [CreateMessagingTables1764201600000, CreateTestTables1764201609999] });
    kafka = await testKafka('messaging-test');
    prefix = uniqueTopicPrefix();
    // One partition per topic so "the next message on that partition" is well defined.
    await ensureTopics(
      kafka,
      ALL_TOPICS.map((t) => ({ topic: topic(t), partitions: 1 })),
    );
    publisher = new KafkaEventPublisher(kafka);
  });

  beforeEach(() => {
    metrics = createMessagingMetrics(new MetricsRegistry({ serviceName: 'messaging-test' }));
  });

  afterEach(stopAll);

  afterAll(async () => {
    await publisher?.close();
    await db?.close();
    if (kafka) await deleteTopicsWithPrefix(kafka, prefix);
  });

  it('commits a state change and its events together, or neither', async () => {
    const kept = allocated();
    await db.dataSource.transaction(async (m) => {
      await m.query("INSERT INTO test_orders (id, status) VALUES ($1, 'allocated')", [kept.subject]);
      await appendToOutbox(m, [kept]);
    });
    const lost = allocated();
    await expect(
      db.dataSource.transaction(async (m) => {
        await m.query("INSERT INTO test_orders (id, status) VALUES ($1, 'allocated')", [lost.subject]);
        await appendToOutbox(m, [lost]);
        throw new Error('business rule failed after the event was recorded');
      }),
    ).rejects.toThrow('business rule failed');

    const rows = await db.dataSource.query('SELECT event_id FROM outbox WHERE event_id = ANY($1::uuid[])', [[kept.id, lost.id]]);
    const orders = await db.dataSource.query('SELECT id FROM test_orders WHERE id = ANY($1::uuid[])', [[kept.subject, lost.subject]]);
    expect(rows.map((r: { event_id: string }) => r.event_id)).toEqual([kept.id]);
    expect(orders.map((r: { id: string }) => r.id)).toEqual([kept.subject]);
    await expect(appendToOutbox(db.dataSource.manager, [allocated()])).rejects.toThrow(/open transaction/);
  });

  it('loses nothing when the relay process is SIGKILLed after publishing and before committing; the consumer applies the event once', async () => {
    await new OutboxRelay(db.dataSource, publisher, { topicPrefix: prefix }).publishPending(); // earlier tests' rows
    const event = allocated();
    await db.dataSource.transaction((m) => appendToOutbox(m, [event]));

    const child = spawn(
      process.execPath,
      [
        '-r',
        join(__dirname, '..', '..', '..', 'tools', 'register.js'),
        join(__dirname, '..', 'test', 'relay-process.ts'),
        db.database.url,
        (await testInfra()).kafkaBrokers.join(','),
        prefix,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('published') && resolve());
      child.on('exit', (code) => reject(new Error(`relay process exited early (${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const restarted = new OutboxRelay(db.dataSource, publisher, { topicPrefix: prefix });
    expect(await restarted.backlog()).toBe(1); // the killed pass never committed
    // Until PostgreSQL notices the dead connection, its advisory lock keeps other relays out.
    await eventually(async () => expect(await restarted.publishPending()).toBe(1));
    expect((await readTopic(kafka, topic(ORDERS))).filter((m) => m.headers.ce_id === event.id)).toHaveLength(2);
    await startConsumer();
    await eventually(async () => expect(await consumedCount('duplicate')).toBe(1));
    expect(await effectsOf(event.subject)).toBe(1);
  });

  it('the running relay publishes in commit order and marks rows published', async () => {
    const relay = new OutboxRelay(db.dataSource, publisher, { topicPrefix: prefix, idleMs: 20 });
    relay.start();
    try {
      const orderId = randomUUID();
      const events = [1, 2, 3].map(() => allocated(orderId));
      for (const e of events) await db.dataSource.transaction((m) => appendToOutbox(m, [e]));
      await eventually(async () => expect(await relay.backlog()).toBe(0));
      const ids = (await readTopic(kafka, topic(ORDERS))).filter((m) => m.key === orderId).map((m) => m.headers.ce_id);
      expect(ids).toEqual(events.map((e) => e.id));
    } finally {
      await relay.stop();
    }
  });

  it('sends each event as a CloudEvent 1.0 in structured mode, a row written before specversion included', async () => {
    await new OutboxRelay(db.dataSource, publisher, { topicPrefix: prefix }).publishPending(); // earlier tests' rows
    const current = allocated();
    const { specversion: _s, datacontenttype: _d, ...legacy } = allocated();
    await db.dataSource.transaction(async (m) => {
      await appendToOutbox(m, [current]);
      // As the previous release wrote it, still unpublished when this one starts.
      await m.query('INSERT INTO outbox (event_id, topic, message_key, event_type, payload) VALUES ($1, $2, $3, $4, $5::jsonb)', [
        legacy.id,
        ORDERS,
        legacy.subject,
        legacy.type,
        JSON.stringify(legacy),
      ]);
    });
    expect(await new OutboxRelay(db.dataSource, publisher, { topicPrefix: prefix }).publishPending()).toBe(2);
    const sent = (await readTopic(kafka, topic(ORDERS))).filter((m) => m.key === current.subject || m.key === legacy.subject);
    expect(sent.map((m) => ({ key: m.key, headers: m.headers, value: JSON.parse(m.value ?? 'null') }))).toEqual(
      [current, legacy].map((e) => ({
        key: e.subject,
        headers: { 'content-type': 'application/cloudevents+json; charset=UTF-8', ce_specversion: '1.0', ce_id: e.id, ce_type: 'crm.order.allocated' },
        value: { ...e, specversion: '1.0', datacontenttype: 'application/json' },
      })),
    );
  });

  it('applies an event the previous release published, without specversion and with its HTTP-style headers', async () => {
    const { specversion: _s, datacontenttype: _d, ...old } = allocated();
    const headers = { 'ce-id': old.id, 'ce-type': old.type, 'content-type': 'application/cloudevents+json' };
    await publisher.publish([{ topic: topic(ORDERS), key: old.subject, value: JSON.stringify(old), headers }]);
    await startConsumer();
    await eventually(async () => expect(await effectsOf(old.subject)).toBe(1));
    expect((await readTopic(kafka, dlqTopic(topic(ORDERS)))).filter((m) => m.key === old.subject)).toEqual([]);
  });

  it('publishes several batches per pass in seq order; a send failing mid-pass rolls the pass back and loses nothing', async () => {
    await new OutboxRelay(db.dataSource, publisher, { topicPrefix: prefix }).publishPending(); // earlier tests' rows
    const orderId = randomUUID();
    const events = Array.from({ length: 10 }, () => allocated(orderId));
    await db.dataSource.transaction((m) => appendToOutbox(m, events));
    let sends = 0;
    const failingThird = {
      publish: async (ms: Parameters<KafkaEventPublisher['publish']>[0]) => {
        if (++sends === 3) throw new Error('broker gone mid-pass');
        await publisher.publish(ms);
      },
    };
    // A topic of its own: the duplicates this test sends must not reach the other tests' consumers.
    const ownPrefix = `${prefix}passes.`;
    await ensureTopics(kafka, [{ topic: `${ownPrefix}${ORDERS}`, partitions: 1 }]);
    const small = { topicPrefix: ownPrefix, batchSize: 2, maxBatchesPerPass: 4 };
    await expect(new OutboxRelay(db.dataSource, failingThird, small).publishPending()).rejects.toThrow('broker gone');
    const relay = new OutboxRelay(db.dataSource, publisher, small);
    expect(await relay.backlog()).toBe(10); // the two batches sent before the failure are not marked
    expect(await relay.publishPending()).toBe(8); // four batches of two, then the pass commits
    expect(await relay.publishPending()).toBe(2);
    expect(await relay.backlog()).toBe(0);
    const ids = (await readTopic(kafka, `${ownPrefix}${ORDERS}`)).map((m) => m.headers.ce_id);
    // The failed pass's first two batches went out, then everything went out again, each time in order.
    expect(ids).toEqual([...events.slice(0, 4), ...events].map((e) => e.id));
  });

  it('wakes the relay on commit (LISTEN/NOTIFY) instead of waiting for its poll', async () => {
    const relay = new OutboxRelay(db.dataSource, publisher, { topicPrefix: prefix, idleMs: 120_000 });
    relay.start();
    try {
      await eventually(async () => expect(await relay.backlog()).toBe(0)); // first pass done, now idle for 2 minutes
      await db.dataSource.transaction((m) => appendToOutbox(m, [allocated()]));
      await eventually(async () => expect(await relay.backlog()).toBe(0), { timeoutMs: 10_000 });
    } finally {
      await relay.stop();
    }
  });

  it('applies an event delivered three times exactly once', async () => {
    const event = allocated();
    const message = { topic: topic(ORDERS), key: event.subject, value: JSON.stringify(event) };
    await publisher.publish([message, message, message]);
    await startConsumer();
    await eventually(async () => expect(await consumedCount('duplicate')).toBe(2));
    expect(await effectsOf(event.subject)).toBe(1);
    const inbox = await db.dataSource.query('SELECT count(*)::int AS n FROM inbox WHERE event_id = $1', [event.id]);
    expect(inbox[0].n).toBe(1);
  });

  it('dead-letters a malformed and a schema-invalid message with the error, and goes on with the partition', async () => {
    const key = randomUUID();
    const invalid = { ...allocated(key), data: { orderId: 'not-a-uuid' } };
    const good = allocated(key);
    await publisher.publish([
      { topic: topic(ORDERS), key, value: '{"this is": not json' },
      { topic: topic(ORDERS), key, value: JSON.stringify(invalid) },
      { topic: topic(ORDERS), key, value: JSON.stringify(good) },
    ]);
    await startConsumer();
    await eventually(async () => expect(await effectsOf(key)).toBe(1));

    const dead = await eventually(async () => {
      const messages = (await readTopic(kafka, dlqTopic(topic(ORDERS)))).filter((m) => m.key === key);
      expect(messages).toHaveLength(2);
      return messages;
    });
    expect(dead.map((m) => m.headers[DLQ_HEADERS.reason.name])).toEqual(['unparseable', 'data']);
    expect(dead[0].value).toBe('{"this is": not json');
    expect(dead[0].headers[DLQ_HEADERS.error.name]).toMatch(/not JSON/);
    expect(dead[1].headers[DLQ_HEADERS.error.name]).toMatch(/data\.orderId|orderId/);
    expect(dead[1].headers[DLQ_HEADERS.topic.name]).toBe(topic(ORDERS));
    expect((await metrics.deadLettered.get()).values.reduce((n, v) => n + v.value, 0)).toBe(2);
  });

  it('retries a failing handler with backoff, dead-letters it after the last attempt, and replays it once fixed', async () => {
    const key = randomUUID();
    const failing = allocated(key);
    const next = allocated();
    let broken = true;
    const attempts: number[] = [];
    const handler: EventHandler = async (event, ctx) => {
      if (event.id === failing.id && broken) {
        attempts.push(Date.now());
        throw new Error('downstream ledger unavailable');
      }
      await recordEffect(event, ctx);
    };
    await publisher.publish([
      { topic: topic(ORDERS), key, value: JSON.stringify(failing) },
      { topic: topic(ORDERS), key, value: JSON.stringify(next) },
    ]);
    await startConsumer(handler, { maxAttempts: 3, backoff: { initialMs: 100, maxMs: 1_000 } });
    await eventually(async () => expect(await effectsOf(next.subject)).toBe(1));
    expect(attempts).toHaveLength(3);
    expect(attempts[2] - attempts[0]).toBeGreaterThanOrEqual(50 + 100); // backoff of ~100 ms, then ~200 ms (half-jittered)
    expect(await effectsOf(key)).toBe(0);

    const [dead] = (await readTopic(kafka, dlqTopic(topic(ORDERS)))).filter((m) => m.key === key);
    expect(dead.headers[DLQ_HEADERS.reason.name]).toBe('handler');
    expect(dead.headers[DLQ_HEADERS.attempts.name]).toBe('3');
    expect(dead.headers[DLQ_HEADERS.error.name]).toMatch(/downstream ledger unavailable/);

    broken = false;
    const replayed = await replayDeadLetters(kafka, publisher, { dlqTopic: dlqTopic(topic(ORDERS)), groupId: `${prefix}replayer`, timeoutMs: 20_000 });
    expect(replayed).toBeGreaterThanOrEqual(1);
    await eventually(async () => expect(await effectsOf(key)).toBe(1));
  });

  it('applies consecutive events in shared transactions; a failing one falls back to one by one and is dead-lettered alone', async () => {
    const key = randomUUID();
    const events = Array.from({ length: 20 }, () => allocated(key));
    const poison = events[7];
    const transactions: string[] = [];
    const calls = new Map<string, number>();
    const handler: EventHandler = async (event, ctx) => {
      calls.set(event.id, (calls.get(event.id) ?? 0) + 1);
      if (event.id === poison.id) throw new NonRetryableError('rejected by the ledger');
      transactions.push((await ctx.manager.query('SELECT txid_current()::text AS tx'))[0].tx);
      await recordEffect(event, ctx);
    };
    // The same event twice in one chunk applies once.
    const values = [...events, events[3]].map((e) => ({ topic: topic(ORDERS), key, value: JSON.stringify(e) }));
    await publisher.publish(values);
    await startConsumer(handler, { maxAttempts: 2, maxBatchSize: 50 });
    await eventually(async () => expect(await effectsOf(key)).toBe(19));
    const dead = await eventually(async () => {
      const messages = (await readTopic(kafka, dlqTopic(topic(ORDERS)))).filter((m) => m.key === key);
      expect(messages).toHaveLength(1);
      return messages;
    });
    expect(JSON.parse(dead[0].value!).id).toBe(poison.id);
    expect(calls.get(poison.id)).toBe(2); // once in the shared transaction, once alone: maxAttempts in all
    const applied = await db.dataSource.query('SELECT event_id FROM test_effects WHERE order_id = $1', [key]);
    expect(new Set(applied.map((r: { event_id: string }) => r.event_id)).size).toBe(19);
    // Fewer commits than events: a chunk shares one transaction (the rolled-back attempt is not among the effects).
    const committed = await db.dataSource.query(`SELECT count(DISTINCT xmin::text)::int AS n FROM test_effects WHERE order_id = $1`, [key]);
    expect(committed[0].n).toBeLessThan(19);
    expect(transactions.length).toBeGreaterThan(19); // the failed chunk ran its handlers, then again one by one
  });

  it('flushes state shared by the handlers of a transaction once, before its commit, in a chunk and one by one', async () => {
    const key = randomUUID();
    const events = Array.from({ length: 10 }, () => allocated(key));
    const poison = events[7];
    const flushes: number[] = [];
    const shared = {};
    // The effect is written only by the flush: one multi-event write per transaction.
    const handler: EventHandler = async (event, ctx) => {
      if (event.id === poison.id) throw new NonRetryableError('rejected by the ledger');
      const pending = ctx.batch(
        shared,
        () => [] as string[],
        async (ids) => {
          flushes.push(ids.length);
          for (const id of ids) await ctx.manager.query('INSERT INTO test_effects (order_id, event_id) VALUES ($1, $2)', [key, id]);
        },
      );
      pending.push(event.id);
    };
    await publisher.publish(events.map((e) => ({ topic: topic(ORDERS), key, value: JSON.stringify(e) })));
    await startConsumer(handler, { maxAttempts: 1, maxBatchSize: 50 });
    await eventually(async () => expect(await effectsOf(key)).toBe(9));
    // Every applied event flushed once; the ones up to the poison one by one (flushes of 1), the rest in a chunk.
    expect(flushes.reduce((a, b) => a + b, 0)).toBe(9);
    expect(flushes).toContain(1);
    expect(Math.max(...flushes)).toBeGreaterThan(1);
    // Each effect committed with its event's inbox row: the flush ran inside the inbox transaction.
    const together = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM test_effects e JOIN inbox i ON i.event_id = e.event_id WHERE e.order_id = $1 AND e.xmin::text = i.xmin::text`,
      [key],
    );
    expect(together[0].n).toBe(9);
  });

  it('waits out a database outage instead of dead-lettering, even past the retry limit', async () => {
    const event = allocated();
    let outages = 0;
    const handler: EventHandler = async (e, ctx) => {
      if (e.id === event.id && outages < 4) {
        outages += 1;
        // The real thing: PostgreSQL kills this session mid-transaction (SQLSTATE 57P01).
        await ctx.manager.query('SELECT pg_terminate_backend(pg_backend_pid())');
      }
      await recordEffect(e, ctx);
    };
    await publisher.publish([{ topic: topic(ORDERS), key: event.subject, value: JSON.stringify(event) }]);
    await startConsumer(handler, { maxAttempts: 2 });
    await eventually(async () => expect(await effectsOf(event.subject)).toBe(1));
    expect(outages).toBe(4);
    const dead = (await readTopic(kafka, dlqTopic(topic(ORDERS)))).filter((m) => m.key === event.subject);
    expect(dead).toEqual([]);
  });

  it('resumes after a restart from the last committed effect: nothing skipped, nothing applied twice', async () => {
    const orderId = randomUUID();
    const first = [1, 2, 3, 4, 5].map(() => allocated(orderId));
    const second = [6, 7, 8, 9, 10].map(() => allocated(orderId));
    const send = (events: EventEnvelope[]) => publisher.publish(events.map((e) => ({ topic: topic(ORDERS), key: orderId, value: JSON.stringify(e) })));
    const groupId = `${prefix}restart-test`;

    const seen: string[] = [];
    const tracking: EventHandler = async (event, ctx) => {
      if (event.subject === orderId) seen.push(event.id);
      await recordEffect(event, ctx);
    };
    await send(first);
    await startConsumer(tracking, { groupId });
    await eventually(async () => expect(await effectsOf(orderId)).toBe(5));
    await stopAll();

    await send(second);
    metrics = createMessagingMetrics(new MetricsRegistry({ serviceName: 'messaging-test' }));
    await startConsumer(tracking, { groupId });
    await eventually(async () => expect(await effectsOf(orderId)).toBe(10));
    expect(seen).toEqual([...first, ...second].map((e) => e.id));
    expect(await consumedCount('duplicate')).toBe(0);
  });
});
