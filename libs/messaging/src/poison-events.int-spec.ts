import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ALL_TOPICS, DLQ_HEADERS, Topics, createEvent, dlqTopic } from '@crm/contracts';
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
import { CreateMessagingTables1764201600000, InboxConsumer, KafkaEventPublisher, ensureTopics, type EventHandler } from './index';

class CreatePoisonTestTables1764201609998 implements MigrationInterface {
  async up(q: QueryRunner) {
    // No unique key: an event applied twice shows as two rows.
    await q.query('CREATE TABLE poison_effects (id serial PRIMARY KEY, subject uuid NOT NULL, event_id uuid NOT NULL)');
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE poison_effects');
  }
}

const ROOT = join(__dirname, '..', '..', '..');
const ORDERS = Topics.orders;
const allocated = (orderId: string) => createEvent('order.allocated', { subject: orderId, data: { orderId, at: new Date().toISOString() } });

/** `npm run dlq:replay -- <topic>` as an operator runs it; resolves with its output once it exits 0. */
function runDlqReplay(topic: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'dlq:replay', '--', topic, '--timeout', '15'], { cwd: ROOT, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`dlq:replay exited ${code}: ${out}`))));
  });
}

// Issue 9: poison events reach the DLQ within 5 attempts or 30 s with the consumer's default settings, the
// partition keeps flowing, and the operator's replay command re-applies a fixed message exactly once.
describe('poison events (real broker and PostgreSQL, default retry settings)', () => {
  let db: TestDataSource;
  let kafka: Kafka;
  let prefix: string;
  let publisher: KafkaEventPublisher;
  let consumer: InboxConsumer | undefined;
  const topic = (t: string) => `${prefix}${t}`;
  const effectsOf = async (subject: string): Promise<number> =>
    (await db.dataSource.query('SELECT count(*)::int AS n FROM poison_effects WHERE subject = $1', [subject]))[0].n;

  beforeAll(async () => {
    db = await createTestDataSource({ prefix: 'poison', migrations: [CreateMessagingTables1764201600000, CreatePoisonTestTables1764201609998] });
    kafka = await testKafka('poison-test');
    prefix = uniqueTopicPrefix();
    // One partition per topic: "later messages on the same partition" is then every later message.
    await ensureTopics(
      kafka,
      ALL_TOPICS.map((t) => ({ topic: topic(t), partitions: 1 })),
    );
    publisher = new KafkaEventPublisher(kafka);
  });
  afterAll(async () => {
    await consumer?.stop();
    await publisher?.close();
    await db?.close();
    if (kafka) await deleteTopicsWithPrefix(kafka, prefix);
  });

  it('dead-letters bad JSON, an off-schema event, an unknown type and an always-failing event within 5 attempts and 30 s; the partition flows on; dlq:replay re-applies the fixed one once', async () => {
    const key = randomUUID();
    const failing = allocated(key);
    const after = allocated(randomUUID());
    let broken = true;
    const attempts: number[] = [];
    const handler: EventHandler = async (event, { manager }) => {
      if (event.id === failing.id && broken) {
        attempts.push(Date.now());
        throw new Error('ledger rejects this order');
      }
      await manager.query('INSERT INTO poison_effects (subject, event_id) VALUES ($1, $2)', [event.subject, event.id]);
    };
    await publisher.publish([
      { topic: topic(ORDERS), key, value: '{"id": "not closed' },
      { topic: topic(ORDERS), key, value: JSON.stringify({ ...allocated(key), data: { orderId: 42 } }) },
      { topic: topic(ORDERS), key, value: JSON.stringify({ ...allocated(key), type: 'crm.order.teleported' }) },
      { topic: topic(ORDERS), key, value: JSON.stringify(failing) },
      { topic: topic(ORDERS), key, value: JSON.stringify(after) },
    ]);
    const started = Date.now();
    // Defaults only (maxAttempts, backoff): what a service runs with.
    consumer = new InboxConsumer(kafka, db.dataSource, publisher, {
      groupId: `${prefix}poison-test`,
      topicPrefix: prefix,
      handlers: new Map([['crm.order.allocated', handler]]),
    });
    await consumer.start();

    await eventually(async () => expect(await effectsOf(after.subject)).toBe(1), { timeoutMs: 30_000 });
    const dead = await eventually(
      async () => {
        const messages = (await readTopic(kafka, dlqTopic(topic(ORDERS)))).filter((m) => m.key === key);
        expect(messages).toHaveLength(4);
        return messages;
      },
      { timeoutMs: 30_000 },
    );
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(dead.map((m) => m.headers[DLQ_HEADERS.reason.name])).toEqual(['unparseable', 'data', 'unknown_type', 'handler']);
    expect(dead[3].headers[DLQ_HEADERS.attempts.name]).toBe('5');
    expect(dead[3].headers[DLQ_HEADERS.error.name]).toMatch(/ledger rejects this order/);
    expect(attempts).toHaveLength(5);
    expect(await effectsOf(key)).toBe(0);

    // The cause is fixed; the operator replays the topic's dead letters with the project's command.
    broken = false;
    const env = { KAFKA_BROKERS: (await testInfra()).kafkaBrokers.join(','), KAFKA_TOPIC_PREFIX: prefix };
    expect(await runDlqReplay(ORDERS, env)).toMatch(/re-published 4 message/);
    await eventually(async () => expect(await effectsOf(key)).toBe(1), { timeoutMs: 30_000 });
    // The three that cannot be fixed are dead again, with a record of where they were replayed from.
    const again = await eventually(
      async () => {
        const messages = (await readTopic(kafka, dlqTopic(topic(ORDERS)))).filter((m) => m.key === key);
        expect(messages).toHaveLength(7);
        return messages.slice(4);
      },
      { timeoutMs: 30_000 },
    );
    expect(again.map((m) => m.headers[DLQ_HEADERS.reason.name])).toEqual(['unparseable', 'data', 'unknown_type']);
    expect(again.every((m) => /\.dlq\[0\]@\d+$/.test(m.headers['dlq-replayed-from'] ?? ''))).toBe(true);

    // A second replay run (say, by a colleague) does not apply the fixed event again.
    await runDlqReplay(ORDERS, env);
    const appliedBefore = await effectsOf(key);
    await eventually(async () => expect((await readTopic(kafka, dlqTopic(topic(ORDERS)))).filter((m) => m.key === key)).toHaveLength(10), {
      timeoutMs: 30_000,
    });
    expect(appliedBefore).toBe(1);
    expect(await effectsOf(key)).toBe(1);
  }, 180_000);
});
