import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { freePort, readTopic, startThrowawayKafka, type ThrowawayKafka } from '@crm/testing';
import { KafkaEventPublisher } from './event-publisher';
import { ensureTopics } from './topic-admin';

// A three-node cluster of its own (never the shared broker): one broker may crash without losing an
// acknowledged event or stopping publication; with two of three down, nothing is acknowledged.
jest.setTimeout(300_000);

describe('a three-broker cluster (real Kafka)', () => {
  let cluster: ThrowawayKafka;
  const topic = 'crm.cluster-test.v1';
  // Bounded retries and timeouts: a publish against a dead quorum must fail in seconds, not minutes.
  const client = () =>
    new Kafka({
      clientId: 'cluster-test',
      brokers: cluster.brokers.split(','),
      connectionTimeout: 1_000,
      requestTimeout: 10_000,
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
      logLevel: logLevel.NOTHING,
    });

  beforeAll(async () => {
    cluster = await startThrowawayKafka({ port: await freePort(), controllerPort: await freePort(), nodes: 3 });
  });
  afterAll(async () => cluster?.destroy());

  it('creates topics with 3 replicas and min.insync.replicas 2', async () => {
    const kafka = client();
    await ensureTopics(kafka, [{ topic }]);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      expect(meta.partitions.map((p) => p.replicas.length)).toEqual([3, 3, 3]);
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] }],
      });
      expect(resources[0].configEntries[0].configValue).toBe('2');
    } finally {
      await admin.disconnect();
    }
  });

  it('keeps publishing after the leader is killed (-9) and loses nothing acknowledged; fails with two of three down', async () => {
    const kafka = client();
    const publisher = new KafkaEventPublisher(kafka);
    const acknowledged: string[] = [];
    let failures = 0;
    let n = 0;
    const publishBatch = async () => {
      const batch = Array.from({ length: 20 }, () => `m${n++}`);
      try {
        await publisher.publish(batch.map((v) => ({ topic, key: v, value: v })));
        acknowledged.push(...batch);
      } catch {
        failures += 1; // the relay would send these again; only what was acknowledged must be there
      }
    };
    for (let i = 0; i < 10; i++) await publishBatch();

    const admin = kafka.admin();
    await admin.connect();
    const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    await admin.disconnect();
    const leads = (id: number) => meta.partitions.filter((p) => p.leader === id).length;
    const leader = [...cluster.nodes].sort((a, b) => leads(b.id) - leads(a.id))[0];
    const before = acknowledged.length;
    const publishing = (async () => {
      for (let i = 0; i < 40; i++) await publishBatch();
    })();
    await leader.kill();
    await publishing;
    // Publication went on on the two survivors: most batches after the kill were acknowledged.
    expect(acknowledged.length - before).toBeGreaterThanOrEqual(30 * 20);

    const read = await readTopic(kafka, topic);
    const seen = new Set(read.map((m) => m.value));
    expect(acknowledged.filter((v) => !seen.has(v))).toEqual([]);

    // A second broker down: no partition has 2 in-sync copies, so nothing may be acknowledged.
    await cluster.nodes.filter((x) => x !== leader && x.running())[0].stop();
    const started = Date.now();
    await expect(publisher.publish([{ topic, key: 'lonely', value: 'lonely' }])).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(120_000);
    await publisher.close().catch(() => undefined);
    expect(failures).toBeLessThan(40);
  });
});
