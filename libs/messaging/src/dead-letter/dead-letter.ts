import { DomainError } from '@crm/domain';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { DLQ_HEADERS, dlqTopic } from '@crm/contracts';
import type { EventPublisher } from '../kafka/event-publisher';

export type DeadLetterReason = 'unparseable' | 'envelope' | 'unknown_type' | 'data' | 'handler';

export interface DeadLetter {
  topic: string;
  partition: number;
  message: KafkaMessage;
  groupId: string;
  reason: DeadLetterReason;
  error: unknown;
  attempts: number;
}

const errorText = (error: unknown) =>
  (error instanceof DomainError ? `${error.name}: ${error.reason}` : error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 4000);

/** Sends the original key, value and headers unchanged to `<topic>.dlq`, with why, where and when. */
export async function sendToDeadLetterTopic(publisher: EventPublisher, d: DeadLetter): Promise<void> {
  const headers: IHeaders = {
    ...d.message.headers,
    [DLQ_HEADERS.error.name]: errorText(d.error),
    [DLQ_HEADERS.reason.name]: d.reason,
    [DLQ_HEADERS.topic.name]: d.topic,
    [DLQ_HEADERS.partition.name]: String(d.partition),
    [DLQ_HEADERS.offset.name]: d.message.offset,
    [DLQ_HEADERS.group.name]: d.groupId,
    [DLQ_HEADERS.attempts.name]: String(d.attempts),
    [DLQ_HEADERS.failedAt.name]: new Date().toISOString(),
  };
  await publisher.publish([{ topic: dlqTopic(d.topic), key: d.message.key?.toString() ?? null, value: d.message.value ?? Buffer.alloc(0), headers }]);
}

export const headerText = (headers: IHeaders | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.toString();
};
