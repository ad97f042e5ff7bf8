// Re-publishes dead letters to the topic they came from, once their cause is fixed:
//   npm run dlq:replay -- crm.orders.v1 [--max 100] [--timeout 30]
// Consumers' inboxes make replaying an already-applied event harmless. The replayer's consumer group
// remembers what it replayed, so a second run only takes newer dead letters.
import { parseArgs } from 'node:util';
import { dlqTopic } from '@crm/contracts';
import { KafkaEventPublisher, createKafka, replayDeadLetters } from '@crm/messaging';

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { max: { type: 'string', default: '10000' }, timeout: { type: 'string', default: '30' } },
  });
  if (positionals.length !== 1) throw new Error('usage: dlq-replay <topic> [--max N] [--timeout SECONDS]');
  const prefix = process.env.KAFKA_TOPIC_PREFIX ?? '';
  const source = positionals[0].replace(/\.dlq$/, '');
  const kafka = createKafka({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), clientId: 'dlq-replay' });
  const publisher = new KafkaEventPublisher(kafka);
  try {
    const replayed = await replayDeadLetters(kafka, publisher, {
      dlqTopic: dlqTopic(`${prefix}${source}`),
      max: Number(values.max),
      timeoutMs: Number(values.timeout) * 1000,
    });
    console.log(`dlq-replay: re-published ${replayed} message(s) from ${dlqTopic(`${prefix}${source}`)}`);
  } finally {
    await publisher.close();
  }
}

main().catch((err) => {
  console.error(`dlq-replay: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
