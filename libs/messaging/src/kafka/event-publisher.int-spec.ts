import { deleteTopicsWithPrefix, readTopic, testKafka, uniqueTopicPrefix } from '@crm/testing';
import { KafkaEventPublisher } from './event-publisher';
import { ensureTopics } from './topic-admin';

describe('KafkaEventPublisher (real Kafka)', () => {
  const prefix = uniqueTopicPrefix();
  afterAll(async () => deleteTopicsWithPrefix(await testKafka(), prefix));

  it('publishes a relay batch larger than the broker takes in one record batch, every message once and in order', async () => {
    const kafka = await testKafka();
    const topic = `${prefix}crm.big.v1`;
    await ensureTopics(kafka, [{ topic, partitions: 1 }]);
    const publisher = new KafkaEventPublisher(kafka);
    // 500 events of 6 KiB: 3 MB for one partition, three times the broker's default message.max.bytes.
    const value = 'x'.repeat(6 * 1024);
    try {
      await publisher.publish(Array.from({ length: 500 }, (_, i) => ({ topic, key: 'one-key', value, headers: { seq: String(i) } })));
    } finally {
      await publisher.close();
    }
    const read = await readTopic(kafka, topic);
    expect(read.map((m) => Number(m.headers.seq))).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });
});
