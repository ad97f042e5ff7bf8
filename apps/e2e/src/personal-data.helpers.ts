import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';

/** One occurrence of a searched value: where, and a few bytes around it for the failure message. */
export interface Leak {
  where: string;
  value: string;
  around: string;
}

/** Every place `haystack` holds one of `values`, byte for byte (UTF-8). */
export function findLeaks(where: string, haystack: Buffer | string, values: readonly string[]): Leak[] {
  const bytes = typeof haystack === 'string' ? Buffer.from(haystack, 'utf8') : haystack;
  const leaks: Leak[] = [];
  for (const value of values) {
    const at = bytes.indexOf(Buffer.from(value, 'utf8'));
    if (at >= 0) leaks.push({ where, value, around: bytes.subarray(Math.max(0, at - 80), at + value.length + 80).toString('utf8') });
  }
  return leaks;
}

/** The names of every topic of the run (its prefix), DLQ topics included. */
export async function topicsOf(kafka: Kafka, prefix: string): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter((t) => t.startsWith(prefix)).sort();
  } finally {
    await admin.disconnect();
  }
}

/**
 * Every message of a topic from the beginning to its end as of now, as raw bytes: key, value, and each header's
 * name and value, read with a plain kafkajs consumer (no decoding, no opening of sealed fields).
 */
export async function rawMessages(kafka: Kafka, topic: string, timeoutMs = 30_000): Promise<Buffer[]> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const pending = new Map(offsets.filter((p) => p.high !== p.low).map((p) => [p.partition, Number(p.high)]));
  const out: Buffer[] = [];
  if (!pending.size) return out;
  const groupId = `pd-reader-${randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out reading ${topic}`)), timeoutMs);
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            const headers = Object.entries(message.headers ?? {}).flatMap(([name, v]) => [
              Buffer.from(name),
              ...(Array.isArray(v) ? v : [v]).map((x) => (x === undefined ? Buffer.alloc(0) : Buffer.isBuffer(x) ? x : Buffer.from(String(x)))),
            ]);
            out.push(Buffer.concat([message.key ?? Buffer.alloc(0), Buffer.from('\n'), message.value ?? Buffer.alloc(0), Buffer.from('\n'), ...headers]));
            if (Number(message.offset) + 1 >= (pending.get(partition) ?? 0)) pending.delete(partition);
            if (!pending.size) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
    const cleanup = kafka.admin();
    await cleanup.connect();
    await cleanup.deleteGroups([groupId]).catch(() => undefined);
    await cleanup.disconnect();
  }
  return out;
}

/** Every string leaf of a JSON value, for comparing what two answers say about the same records. */
export function stringLeaves(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') out.add(value);
  else if (Array.isArray(value)) value.forEach((v) => stringLeaves(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => stringLeaves(v, out));
  return out;
}
