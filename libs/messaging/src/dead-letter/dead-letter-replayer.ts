import type { IHeaders, Kafka } from 'kafkajs';
import { DLQ_HEADERS } from '@crm/contracts';
import type { EventPublisher } from '../kafka/event-publisher';
import { headerText } from './dead-letter';

export interface ReplayOptions {
  dlqTopic: string;
  /** The replayer's own consumer group: what it has replayed once it will not replay again. */
  groupId?: string;
  /** Stop after this many messages (bounded by design). */
  max?: number;
  /** Stop after this long even if the DLQ is not drained. */
  timeoutMs?: number;
}

const DLQ_HEADER_NAMES = new Set<string>(Object.values(DLQ_HEADERS).map((h) => h.name));

/**
 * Re-publishes dead letters to the topic they came from, with their original key, value and
 * headers, once the cause is fixed. Consumers' inboxes make a replay of an applied event harmless.
 */
export async function replayDeadLetters(kafka: Kafka, publisher: EventPublisher, options: ReplayOptions): Promise<number> {
  const max = options.max ?? 10_000;
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(options.dlqTopic).finally(() => admin.disconnect());
  const pending = new Map(ends.filter((p) => p.high !== p.low).map((p) => [p.partition, Number(p.high)]));

  const consumer = kafka.consumer({ groupId: options.groupId ?? `${options.dlqTopic}.replayer`, allowAutoTopicCreation: false });
  let replayed = 0;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: options.dlqTopic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, options.timeoutMs ?? 30_000);
      const finish = () => { clearTimeout(timer); resolve(); };
      if (!pending.size) return finish();
      consumer.run({
        autoCommit: true,
        eachMessage: async ({ partition, message }) => {
          if (replayed >= max) return finish();
          const topic = headerText(message.headers, DLQ_HEADERS.topic.name);
          if (topic) {
            const headers: IHeaders = Object.fromEntries(
              Object.entries(message.headers ?? {}).filter(([name]) => !DLQ_HEADER_NAMES.has(name)),
            );
            headers['dlq-replayed-from'] = `${options.dlqTopic}[${partition}]@${message.offset}`;
            await publisher.publish([{ topic, key: message.key?.toString() ?? null, value: message.value ?? Buffer.alloc(0), headers }]);
            replayed += 1;
          }
          if (Number(message.offset) + 1 >= (pending.get(partition) ?? 0)) pending.delete(partition);
          if (!pending.size || replayed >= max) finish();
        },
      }).catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return replayed;
}
