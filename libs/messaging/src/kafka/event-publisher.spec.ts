import type { Kafka, Producer } from 'kafkajs';
import { chunkByBytes, KafkaEventPublisher, MAX_REQUEST_BYTES, missingAcks } from './event-publisher';

/** A Kafka whose producers record what they send; `failNext` makes the next send of the current one fail. */
function fakeKafka() {
  const producers: { sent: number; requests: string[][]; disconnected: boolean; failNext: boolean; mostInFlight: number }[] = [];
  const kafka = {
    producer: () => {
      const state = { sent: 0, requests: [] as string[][], disconnected: false, failNext: false, mostInFlight: 0 };
      let inFlight = 0;
      producers.push(state);
      return {
        connect: async () => undefined,
        disconnect: async () => void (state.disconnected = true),
        sendBatch: async ({ topicMessages }: { topicMessages: { messages: { key: string }[] }[] }) => {
          if (state.failNext) {
            state.failNext = false;
            throw new Error('The broker received an out of order sequence number');
          }
          state.mostInFlight = Math.max(state.mostInFlight, ++inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5)); // a broker's round trip
          inFlight -= 1;
          state.sent += topicMessages.reduce((n, t) => n + t.messages.length, 0);
          state.requests.push(topicMessages.flatMap((t) => t.messages.map((m) => m.key)));
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

  it('runs concurrent sends one after another (each checks the partitions of its own send)', async () => {
    const { kafka, producers } = fakeKafka();
    const publisher = new KafkaEventPublisher(kafka);
    await Promise.all(['1', '2', '3'].map((key) => publisher.publish([{ ...message('a'), key }])));
    expect(producers[0].mostInFlight).toBe(1);
    expect(producers[0].requests).toEqual([['1'], ['2'], ['3']]);
  });

  it('splits a batch into requests the broker accepts, one after another, in order', async () => {
    const { kafka, producers } = fakeKafka();
    const publisher = new KafkaEventPublisher(kafka);
    const big = (key: string) => ({ topic: 't', key, value: 'x'.repeat(300 * 1024), headers: { ce_id: key } });
    await publisher.publish(['1', '2', '3', '4', '5'].map(big));
    expect(producers[0].requests).toEqual([['1', '2'], ['3', '4'], ['5']]);
  });
});

describe('chunkByBytes', () => {
  const of = (bytes: number) => ({ topic: 't', key: 'k', value: Buffer.alloc(bytes) });

  it('keeps a batch under the limit in one request', () => {
    expect(chunkByBytes([of(100), of(100)], 1_000)).toHaveLength(1);
  });

  it('counts keys and headers, and sends a message larger than the limit alone', () => {
    const headed = { ...of(400), headers: { ce_type: 'x'.repeat(400), many: ['y'.repeat(100), 'z'] } };
    expect(chunkByBytes([headed, of(100)], 1_000).map((c) => c.length)).toEqual([1, 1]);
    expect(chunkByBytes([of(10), of(MAX_REQUEST_BYTES * 2), of(10)]).map((c) => c.length)).toEqual([1, 1, 1]);
  });
});

describe('missingAcks (a kafkajs send resolved without some partitions)', () => {
  const ack = (topicName: string, partition: number, errorCode = 0) => ({ topicName, partition, errorCode });

  it('passes when every assigned partition answered', () => {
    expect(() => missingAcks(new Set(['t/0', 't/1']), [ack('t', 0), ack('t', 1), ack('u', 2)])).not.toThrow();
  });

  it('fails the send when a partition the messages went to never answered (its leader moved mid-send)', () => {
    expect(() => missingAcks(new Set(['t/0', 't/1', 't/2']), [ack('t', 0), ack('t', 2)])).toThrow(/t\/1/);
    expect(() => missingAcks(new Set(['t/0']), [ack('t', 0, 6)])).toThrow(/t\/0/);
  });
});
