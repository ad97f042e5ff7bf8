import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { EventPublisher } from '../kafka/event-publisher';
import { InboxConsumer } from './inbox-consumer';

/** A kafkajs consumer double: records the calls and lets the test emit CRASH as kafkajs does. */
function fakeKafka() {
  const emitter = new EventEmitter();
  const calls: string[] = [];
  let connectFailures = 0;
  const consumer = {
    events: { CRASH: 'consumer.crash' },
    on: (event: string, fn: (e: unknown) => void) => emitter.on(event, fn),
    connect: async () => {
      calls.push('connect');
      if (connectFailures > 0) {
        connectFailures -= 1;
        throw new Error('Connection refused');
      }
    },
    subscribe: async () => void calls.push('subscribe'),
    run: async () => void calls.push('run'),
    disconnect: async () => void calls.push('disconnect'),
  };
  return {
    kafka: { consumer: () => consumer } as unknown as Kafka,
    calls,
    crash: (name: string, restart: boolean) => emitter.emit('consumer.crash', { payload: { error: Object.assign(new Error(name), { name }), restart } }),
    failNextConnects: (n: number) => (connectFailures = n),
  };
}

const handlers = new Map([['crm.order.confirmed', async () => undefined]]);
const make = (kafka: Kafka) =>
  new InboxConsumer(kafka, {} as DataSource, {} as EventPublisher, { groupId: 'g', handlers, backoff: { initialMs: 10, maxMs: 20 } });
const settle = () => new Promise((r) => setTimeout(r, 150));
const until = async (done: () => boolean) => {
  for (const deadline = Date.now() + 5_000; !done() && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
};

describe('InboxConsumer after a kafkajs crash', () => {
  it('restarts itself when kafkajs gives up (a non-retriable crash such as no group coordinator), until it is back', async () => {
    const fake = fakeKafka();
    const consumer = make(fake.kafka);
    await consumer.start();
    expect(fake.calls).toEqual(['connect', 'subscribe', 'run']);
    fake.failNextConnects(2); // the broker is still down for the first two tries
    fake.crash('KafkaJSGroupCoordinatorNotFound', false);
    await until(() => fake.calls.length >= 8);
    expect(fake.calls.slice(3)).toEqual(['connect', 'connect', 'connect', 'subscribe', 'run']);
    await consumer.stop();
  });

  it('leaves a crash kafkajs restarts itself alone, and never restarts after stop()', async () => {
    const fake = fakeKafka();
    const consumer = make(fake.kafka);
    await consumer.start();
    fake.crash('KafkaJSNumberOfRetriesExceeded', true);
    await settle();
    expect(fake.calls).toEqual(['connect', 'subscribe', 'run']);
    await consumer.stop();
    fake.crash('KafkaJSGroupCoordinatorNotFound', false);
    await settle();
    expect(fake.calls).toEqual(['connect', 'subscribe', 'run', 'disconnect']);
  });
});
