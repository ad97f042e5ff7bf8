import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';

export interface KafkaConnection {
  brokers: string[];
  clientId: string;
}

// kafkajs logs through the service's logger, so its lines are JSON with the service and correlation id
// like every other; its INFO chatter (joins, rebalances) stays out unless KAFKA_LOG_LEVEL=debug.
// Bounded producer retries are deliberate (docs/decisions/0002): kafkajs warns about them at every start.
const EXPECTED_WARNING = 'Limiting retries for the idempotent producer';

const logCreator = () => ({ namespace, level, log }: LogEntry) => {
  const { message, timestamp: _t, logger: _l, ...extra } = log;
  if (message.startsWith(EXPECTED_WARNING)) return;
  const context = namespace ? `kafkajs:${namespace}` : 'kafkajs';
  const text = Object.keys(extra).length ? `${message} ${JSON.stringify(extra)}` : message;
  if (level === logLevel.ERROR) Logger.error(text, undefined, context);
  else if (level === logLevel.WARN) Logger.warn(text, context);
  else Logger.debug(text, context);
};

/** The only place kafkajs is configured, so the client can be swapped behind libs/messaging. */
export function createKafka({ brokers, clientId }: KafkaConnection): Kafka {
  const level = process.env.KAFKA_LOG_LEVEL === 'debug' ? logLevel.DEBUG : logLevel.WARN;
  return new Kafka({ clientId, brokers, logLevel: level, logCreator, retry: { retries: 5, initialRetryTime: 200 } });
}
