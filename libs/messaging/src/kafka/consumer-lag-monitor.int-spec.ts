import { createServer } from 'node:net';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { MetricsRegistry } from '@crm/observability';
import { deleteTopicsWithPrefix, eventually, testKafka, uniqueTopicPrefix } from '@crm/testing';
import { createMessagingMetrics, type MessagingMetrics } from '../messaging-metrics';
import { ConsumerLagMonitor } from './consumer-lag-monitor';
import { ensureTopics } from './topic-admin';

async function gauge(metrics: MessagingMetrics, name: 'consumerLag' | 'kafkaUp', labels: Record<string, string | number> = {}): Promise<number | undefined> {
  const { values } = await metrics[name].get();
  return values.find((v) => Object.entries(labels).every(([k, x]) => String(v.labels[k]) === String(x)))?.value;
}

describe('ConsumerLagMonitor (real Kafka)', () => {
  const prefix = uniqueTopicPrefix();
  const topic = `${prefix}crm.orders.v1`;
  const groupId = `${prefix}orders.events`;
  let consumer: Consumer | undefined;
  let monitor: ConsumerLagMonitor | undefined;

  afterAll(async () => {
    await consumer?.disconnect();
    await monitor?.stop();
    await deleteTopicsWithPrefix(await testKafka(), prefix);
  });

  const produce = async (count: number) => {
    const producer = (await testKafka()).producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `{"n":${i}}` })) });
    await producer.disconnect();
  };

  it("reads a group's lag from the broker: a stopped consumer's lag grows with every message produced", async () => {
    const kafka = await testKafka();
    await ensureTopics(kafka, [{ topic, partitions: 1 }]);
    const metrics = createMessagingMetrics(new MetricsRegistry({ serviceName: 'orders' }));
    monitor = new ConsumerLagMonitor(kafka, { metrics, intervalMs: 200 });
    monitor.watch(groupId, [topic]);
    await produce(3);

    // Caught up: everything read and committed.
    consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let seen = 0;
    // Offsets are committed after every batch (no interval or threshold), so "caught up" is on the broker too.
    await consumer.run({ eachMessage: async () => void (seen += 1) });
    await eventually(() => expect(seen).toBe(3));
    monitor.start();
    await eventually(async () => expect(await gauge(metrics, 'consumerLag', { group: groupId, topic, partition: 0 })).toBe(0));
    expect(await gauge(metrics, 'kafkaUp')).toBe(1);

    // Stuck: no more batches, so nothing after a batch could ever report this.
    await consumer.disconnect();
    consumer = undefined;
    await produce(5);
    await eventually(async () => expect(await gauge(metrics, 'consumerLag', { group: groupId, topic, partition: 0 })).toBe(5));
    await produce(4);
    await eventually(async () => expect(await gauge(metrics, 'consumerLag', { group: groupId, topic, partition: 0 })).toBe(9));
  });

  it('reports Kafka down (crm_kafka_up 0) when the broker does not answer, without throwing', async () => {
    const port = await closedPort();
    const unreachable = new Kafka({ clientId: 'lag-test', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const metrics = createMessagingMetrics(new MetricsRegistry({ serviceName: 'orders' }));
    const down = new ConsumerLagMonitor(unreachable, { metrics });
    down.watch(groupId, [topic]);
    metrics.kafkaUp.set(1);

    await down.poll();
    await down.stop();

    expect(await gauge(metrics, 'kafkaUp')).toBe(0);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
