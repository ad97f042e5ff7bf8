import { ConfigResourceTypes } from 'kafkajs';
import { dlqTopic } from '@crm/contracts';
import { deleteTopicsWithPrefix, testKafka, uniqueTopicPrefix } from '@crm/testing';
import { ensureTopics } from './topic-admin';

describe('ensureTopics (real Kafka)', () => {
  const prefix = uniqueTopicPrefix();
  afterAll(async () => deleteTopicsWithPrefix(await testKafka(), prefix));

  it('creates each topic and its DLQ with unlimited retention and as many copies as the cluster allows (one here)', async () => {
    const kafka = await testKafka();
    const topic = `${prefix}crm.orders.v1`;
    await ensureTopics(kafka, [{ topic }]);
    await ensureTopics(kafka, [{ topic }]); // idempotent
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      expect(meta.partitions).toHaveLength(3);
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [topic, dlqTopic(topic)].map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms', 'min.insync.replicas'] })),
      });
      const value = (name: string) => resources.map((r) => r.configEntries.find((c) => c.configName === name)?.configValue);
      expect(value('retention.ms')).toEqual(['-1', '-1']);
      expect(value('min.insync.replicas')).toEqual(['1', '1']);
      expect(meta.partitions.map((p) => p.replicas.length)).toEqual([1, 1, 1]);
    } finally {
      await admin.disconnect();
    }
  });
});
