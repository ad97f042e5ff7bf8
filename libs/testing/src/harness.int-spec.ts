import { Client } from 'pg';
import { createTestDatabase, deleteTopicsWithPrefix, eventually, readTopic, testKafka, uniqueTopicPrefix } from './index';

const databaseExists = async (name: string) => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
};

describe('test harness (real Kafka and PostgreSQL)', () => {
  it('gives each caller its own empty database and drops it afterwards', async () => {
    const [a, b] = await Promise.all([createTestDatabase('harness'), createTestDatabase('harness')]);
    expect(a.name).not.toBe(b.name);
    expect(await databaseExists(a.name)).toBe(true);
    await Promise.all([a.drop(), b.drop()]);
    expect(await databaseExists(a.name)).toBe(false);
  });

  it('reads back what is on a prefixed topic, and deletes the prefix topics', async () => {
    const kafka = await testKafka();
    const prefix = uniqueTopicPrefix();
    const topic = `${prefix}harness`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: 'a', value: '1', headers: { h: 'x' } },
        { key: 'b', value: '2' },
      ],
    });
    await producer.disconnect();

    const messages = await readTopic(kafka, topic);
    expect(messages.map((m) => m.value).sort()).toEqual(['1', '2']);
    expect(messages.find((m) => m.key === 'a')?.headers).toEqual({ h: 'x' });

    await deleteTopicsWithPrefix(kafka, prefix);
    await eventually(async () => expect((await admin.listTopics()).filter((t) => t.startsWith(prefix))).toEqual([]));
    await admin.disconnect();
  });

  it('eventually retries an assertion until it passes, and gives up with its last error', async () => {
    let calls = 0;
    await expect(eventually(() => expect(++calls).toBe(3), { intervalMs: 1 })).resolves.toBeUndefined();
    expect(calls).toBe(3);
    await expect(eventually(() => expect(1).toBe(2), { timeoutMs: 50, intervalMs: 10 })).rejects.toThrow(/Expected: 2/);
  });
});
