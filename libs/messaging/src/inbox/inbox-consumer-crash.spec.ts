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
  const configs: unknown[] = [];
  const consumer = {
    events: { CRASH: 'consumer.crash', GROUP_JOIN: 'consumer.group_join' },
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
    kafka: { consumer: (config: unknown) => (configs.push(config), consumer) } as unknown as Kafka,
    calls,
    configs,
    joined: () => emitter.emit('consumer.group_join', { payload: {} }),
    crash: (name: string, restart: boolean) => emitter.emit('consumer.crash', { payload: { error: Object.assign(new Error(name), { name }), restart } }),
    failNextConnects: (n: number) => (connectFailures = n),
  };
}

const handlers = new Map([['crm.order.confirmed', async () => undefined]]);
const make = (kafka: Kafka, backoff = { initialMs: 10, maxMs: 20 }) =>
  new InboxConsumer(kafka, {} as DataSource, {} as EventPublisher, { groupId: 'g', handlers, backoff });
const settle = () => new Promise((r) => setTimeout(r, 150));
const until = async (done: () => boolean) => {
  for (const deadline = Date.now() + 5_000; !done() && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
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

  it('starts the restart back-off over once the consumer is back in its group', async () => {
    const fake = fakeKafka();
    const consumer = make(fake.kafka, { initialMs: 40, maxMs: 5_000 });
    await consumer.start();
    fake.failNextConnects(1_000);
    for (let i = 0; i < 6; i++) fake.crash('KafkaJSGroupCoordinatorNotFound', false); // an outage: 6th delay is 0.8-1.6 s
    fake.failNextConnects(0);
    fake.joined();
    fake.crash('KafkaJSGroupCoordinatorNotFound', false); // the next outage: first delay 20-40 ms again
    await settle();
    expect(fake.calls.slice(3)).toEqual(['connect', 'subscribe', 'run']);
    await consumer.stop();
  });

  it('joins with a 10 s session, so a rejoin after a broker restart waits at most that long for the old member', () => {
    const fake = fakeKafka();
    make(fake.kafka);
    expect(fake.configs).toEqual([expect.objectContaining({ groupId: 'g', sessionTimeout: 10_000 })]);
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
