import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { testInfra } from './infra';

export const testKafka = async (clientId = 'test') =>
  new Kafka({ clientId, brokers: (await testInfra()).kafkaBrokers, logLevel: logLevel.NOTHING });

/** A topic prefix no other test file uses, e.g. `t3f9a1c2.`: `t3f9a1c2.crm.orders.v1`. */
export const uniqueTopicPrefix = () => `t${randomBytes(4).toString('hex')}.`;

/** Deletes a test file's topics (those named with its prefix), so the broker does not fill up. */
export async function deleteTopicsWithPrefix(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

export interface ReadMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** Reads every message now on a topic (from the beginning up to the current end). */
export async function readTopic(kafka: Kafka, topic: string): Promise<ReadMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const pending = new Map(ends.filter((p) => p.high !== p.low).map((p) => [p.partition, Number(p.high)]));
  const out: ReadMessage[] = [];
  if (!pending.size) return out;
  const consumer = kafka.consumer({ groupId: `reader-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out reading ${topic}`)), 30_000);
      consumer.run({
        eachMessage: async ({ partition, message }) => {
          out.push({
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? null,
            headers: textHeaders(message.headers),
          });
          if (Number(message.offset) + 1 >= (pending.get(partition) ?? 0)) pending.delete(partition);
          if (!pending.size) {
            clearTimeout(timer);
            resolve();
          }
        },
      }).catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
}

const textHeaders = (headers: IHeaders | undefined) =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, (Array.isArray(v) ? v[0] : v)?.toString() ?? '']));
