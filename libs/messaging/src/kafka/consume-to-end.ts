import type { EachMessagePayload, Kafka } from 'kafkajs';

export interface ConsumeToEndOptions {
  topic: string;
  groupId: string;
  timeoutMs: number;
  /** Delete the consumer group afterwards (a throw-away group of a one-off read). */
  deleteGroup?: boolean;
  /** Return false to stop early. */
  onMessage(payload: EachMessagePayload): Promise<boolean | void>;
}

/**
 * Reads a topic from the group's position up to its end as of the call (its high watermarks then), for
 * bounded jobs such as a DLQ replay. Resolves 'end', 'stopped' (onMessage said so) or 'timeout'.
 */
export async function consumeToEnd(kafka: Kafka, options: ConsumeToEndOptions): Promise<'end' | 'stopped' | 'timeout'> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(options.topic).finally(() => admin.disconnect());
  const pending = new Map(ends.filter((p) => p.high !== p.low).map((p) => [p.partition, Number(p.high)]));
  if (!pending.size) return 'end';

  const consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
      const finish = (outcome: 'end' | 'stopped') => {
        clearTimeout(timer);
        resolve(outcome);
      };
      let done = false;
      consumer
        .run({
          eachMessage: async (payload) => {
            if (done) return;
            const more = await options.onMessage(payload);
            if (Number(payload.message.offset) + 1 >= (pending.get(payload.partition) ?? 0)) pending.delete(payload.partition);
            if (more === false || !pending.size) {
              done = true;
              finish(more === false ? 'stopped' : 'end');
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
    if (options.deleteGroup) await deleteGroup(kafka, options.groupId);
  }
}

async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups([groupId]).catch(() => undefined);
  await admin.disconnect();
}
