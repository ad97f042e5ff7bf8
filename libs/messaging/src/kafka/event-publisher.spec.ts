import type { Kafka, Producer } from 'kafkajs';
import { KafkaEventPublisher } from './event-publisher';

/** A Kafka whose producers record what they send; `failNext` makes the next send of the current one fail. */
function fakeKafka() {
  const producers: { sent: number; disconnected: boolean; failNext: boolean }[] = [];
  const kafka = {
    producer: () => {
      const state = { sent: 0, disconnected: false, failNext: false };
      producers.push(state);
      return {
        connect: async () => undefined,
        disconnect: async () => void (state.disconnected = true),
        sendBatch: async ({ topicMessages }: { topicMessages: { messages: unknown[] }[] }) => {
          if (state.failNext) {
            state.failNext = false;
            throw new Error('The broker received an out of order sequence number');
          }
          state.sent += topicMessages.reduce((n, t) => n + t.messages.length, 0);
          return [];
        },
      } as unknown as Producer;
    },
  } as unknown as Kafka;
  return { kafka, producers };
}

const message = (topic: string) => ({ topic, key: 'k', value: '{}' });

describe('KafkaEventPublisher', () => {
  it('keeps one producer while sends succeed, and groups a batch by topic', async () => {
    const { kafka, producers } = fakeKafka();
    const publisher = new KafkaEventPublisher(kafka);
    await publisher.publish([message('a'), message('b'), message('a')]);
    await publisher.publish([message('a')]);
    expect(producers).toHaveLength(1);
    expect(producers[0].sent).toBe(4);
  });

  it('after a failed send, starts over with a new producer (a fresh producer id and sequence numbers)', async () => {
    const { kafka, producers } = fakeKafka();
    const publisher = new KafkaEventPublisher(kafka);
    await publisher.publish([message('a')]);
    producers[0].failNext = true;
    await expect(publisher.publish([message('a')])).rejects.toThrow('out of order sequence');
    expect(producers[0].disconnected).toBe(true);
    await publisher.publish([message('a')]);
    expect(producers).toHaveLength(2);
    expect(producers[1].sent).toBe(1);
  });
});
