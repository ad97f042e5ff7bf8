import type { IHeaders, Kafka } from 'kafkajs';
import { DLQ_HEADERS } from '@crm/contracts';
import { consumeToEnd } from '../kafka/consume-to-end';
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
  let replayed = 0;
  if (max <= 0) return 0;
  await consumeToEnd(kafka, {
    topic: options.dlqTopic,
    groupId: options.groupId ?? `${options.dlqTopic}.replayer`,
    timeoutMs: options.timeoutMs ?? 30_000,
    onMessage: async ({ partition, message }) => {
      const topic = headerText(message.headers, DLQ_HEADERS.topic.name);
      if (!topic) return true;
      const headers: IHeaders = Object.fromEntries(Object.entries(message.headers ?? {}).filter(([name]) => !DLQ_HEADER_NAMES.has(name)));
      headers['dlq-replayed-from'] = `${options.dlqTopic}[${partition}]@${message.offset}`;
      await publisher.publish([{ topic, key: message.key?.toString() ?? null, value: message.value ?? Buffer.alloc(0), headers }]);
      replayed += 1;
      return replayed < max;
    },
  });
  return replayed;
}
