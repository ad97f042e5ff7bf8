import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { ALL_TOPICS, createEvent } from '@crm/contracts';
import { createTestDataSource, deleteTopicsWithPrefix, recordUnheardErrors, testKafka, uniqueTopicPrefix, type TestDataSource } from '@crm/testing';
import { CreateMessagingTables1764201600000, KafkaEventPublisher, OutboxRelay, appendToOutbox, ensureTopics } from '../index';

const allocated = (orderId = randomUUID()) => createEvent('order.allocated', { subject: orderId, data: { orderId, at: new Date().toISOString() } });

describe('outbox relay: PostgreSQL ends its connection mid-pass (real PostgreSQL and broker)', () => {
  let db: TestDataSource;
  let kafka: Kafka;
  let publisher: KafkaEventPublisher;
  const prefix = uniqueTopicPrefix();

  beforeAll(async () => {
    db = await createTestDataSource({ prefix: 'relayconn', migrations: [CreateMessagingTables1764201600000] });
    kafka = await testKafka('relay-connection-test');
    await ensureTopics(
      kafka,
      ALL_TOPICS.map((t) => ({ topic: `${prefix}${t}`, partitions: 1 })),
    );
    publisher = new KafkaEventPublisher(kafka);
  });

  afterAll(async () => {
    await publisher?.close();
    await db?.close();
    if (kafka) await deleteTopicsWithPrefix(kafka, prefix);
  });

  // A PostgreSQL restart ends every session the same way. The pass's connection sits idle in its transaction
  // while the batch is on its way to Kafka, so the 'error' it emits meets no query: unheard, it ended the
  // whole service (seen in the chaos run's database restarts).
  it('fails that pass, keeps the process up, and the next pass publishes every event', async () => {
    const unheard = recordUnheardErrors(Client);
    await db.dataSource.transaction((m) => appendToOutbox(m, [allocated(), allocated(), allocated()]));
    const killDuringSend = {
      publish: async (messages: Parameters<KafkaEventPublisher['publish']>[0]) => {
        const [session] = await db.dataSource.query<Array<{ pid: number }>>(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND pid <> pg_backend_pid()",
        );
        await db.dataSource.query('SELECT pg_terminate_backend($1)', [session.pid]);
        await new Promise((resolve) => setTimeout(resolve, 500)); // its FATAL and the socket's end arrive meanwhile
        await publisher.publish(messages);
      },
    };
    await expect(new OutboxRelay(db.dataSource, killDuringSend, { topicPrefix: prefix }).publishPending())
      .rejects.toThrow()
      .finally(() => unheard.restore());
    expect(unheard.messages).toEqual([]);
    const relay = new OutboxRelay(db.dataSource, publisher, { topicPrefix: prefix });
    expect(await relay.backlog()).toBe(3);
    expect(await relay.publishPending()).toBe(3);
    expect(await relay.backlog()).toBe(0);
  });
});
