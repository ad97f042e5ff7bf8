import { Kafka, logLevel, type LogEntry } from 'kafkajs';

export interface KafkaConnection {
  brokers: string[];
  clientId: string;
}

// kafkajs logs through our own JSON lines; its INFO chatter (joins, rebalances) stays out unless asked.
const levelName: Record<number, string> = { [logLevel.ERROR]: 'error', [logLevel.WARN]: 'warn', [logLevel.INFO]: 'info', [logLevel.DEBUG]: 'debug' };
const logCreator = () => ({ namespace, level, log }: LogEntry) => {
  const { message, timestamp: _t, logger: _l, ...extra } = log;
  process.stdout.write(`${JSON.stringify({ level: levelName[level] ?? 'info', time: Date.now(), context: namespace ? `kafkajs:${namespace}` : 'kafkajs', msg: message, ...extra })}\n`);
};

/** The only place kafkajs is configured, so the client can be swapped behind libs/messaging. */
export function createKafka({ brokers, clientId }: KafkaConnection): Kafka {
  const level = process.env.KAFKA_LOG_LEVEL === 'debug' ? logLevel.DEBUG : logLevel.WARN;
  return new Kafka({ clientId, brokers, logLevel: level, logCreator, retry: { retries: 5, initialRetryTime: 200 } });
}

export const parseBrokers = (value: string | undefined, fallback = '127.0.0.1:9092'): string[] =>
  (value?.trim() || fallback).split(',').map((b) => b.trim()).filter(Boolean);
