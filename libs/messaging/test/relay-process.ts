// A relay in its own process, for the crash test: it publishes one pass, says so on stdout, then hangs
// before committing, so the test can SIGKILL it at exactly that point.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { KafkaEventPublisher, OutboxRelay, createKafka } from '../src';

async function main() {
  const [databaseUrl, brokers, topicPrefix] = process.argv.slice(2);
  const dataSource = await new DataSource({ type: 'postgres', url: databaseUrl }).initialize();
  const publisher = new KafkaEventPublisher(createKafka({ brokers: brokers.split(','), clientId: 'relay-process' }));
  const hanging = {
    publish: async (messages: Parameters<KafkaEventPublisher['publish']>[0]) => {
      await publisher.publish(messages);
      process.stdout.write(`published ${messages.length}\n`);
      await new Promise(() => undefined); // killed here, between publish and commit
    },
  };
  await new OutboxRelay(dataSource, hanging, { topicPrefix }).publishPending();
}

main().catch((err) => {
  process.stderr.write(`${err}\n`);
  process.exit(1);
});
