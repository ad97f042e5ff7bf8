import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { consumeToEnd } from '@crm/messaging';
import { testInfra } from './infra';

export const testKafka = async (clientId = 'test') => new Kafka({ clientId, brokers: (await testInfra()).kafkaBrokers, logLevel: logLevel.NOTHING });

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
  const out: ReadMessage[] = [];
  const outcome = await consumeToEnd(kafka, {
    topic,
    groupId: `reader-${randomBytes(4).toString('hex')}`,
    deleteGroup: true,
    timeoutMs: 30_000,
    onMessage: async ({ partition, message }) => {
      out.push({
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        headers: textHeaders(message.headers),
      });
    },
  });
  if (outcome === 'timeout') throw new Error(`timed out reading ${topic}`);
  return out;
}

const textHeaders = (headers: IHeaders | undefined) =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, (Array.isArray(v) ? v[0] : v)?.toString() ?? '']));
