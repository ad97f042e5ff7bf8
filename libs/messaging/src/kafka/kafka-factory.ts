import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import './kafkajs-idle-fix';

export interface KafkaConnection {
  brokers: string[];
  clientId: string;
}

// kafkajs logs through the service's logger, so its lines are JSON with the service and correlation id
// like every other; its INFO chatter (joins, rebalances) stays out unless KAFKA_LOG_LEVEL=debug.
// Bounded producer retries are deliberate (docs/decisions/0002): kafkajs warns about them at every start.
const EXPECTED_WARNING = 'Limiting retries for the idempotent producer';

const logCreator =
  () =>
  ({ namespace, level, log }: LogEntry) => {
    const { message, timestamp: _t, logger: _l, ...extra } = log;
    if (message.startsWith(EXPECTED_WARNING)) return;
    const context = namespace ? `kafkajs:${namespace}` : 'kafkajs';
    const text = Object.keys(extra).length ? `${message} ${JSON.stringify(extra)}` : message;
    if (level === logLevel.ERROR) Logger.error(text, undefined, context);
    else if (level === logLevel.WARN) Logger.warn(text, context);
    else Logger.debug(text, context);
  };

const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/**
 * TLS and SASL for a managed broker (MSK, Confluent Cloud, Strimzi with a TLS/SCRAM listener), from
 * KAFKA_SSL=true and KAFKA_SASL_MECHANISM / KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD. SASL implies TLS:
 * credentials never travel in clear. A half-set configuration stops the service at boot.
 */
export function kafkaSecurityFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const mechanism = env.KAFKA_SASL_MECHANISM?.toLowerCase();
  if (!mechanism) return env.KAFKA_SSL === 'true' ? { ssl: true } : {};
  if (!SASL_MECHANISMS.includes(mechanism as (typeof SASL_MECHANISMS)[number])) {
    throw new Error(`KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}`);
  }
  const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = env;
  if (!username || !password) throw new Error('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
  return { ssl: true, sasl: { mechanism, username, password } as SASLOptions };
}

/** The only place kafkajs is configured, so the client can be swapped behind libs/messaging. */
export function createKafka({ brokers, clientId }: KafkaConnection): Kafka {
  const level = process.env.KAFKA_LOG_LEVEL === 'debug' ? logLevel.DEBUG : logLevel.WARN;
  return new Kafka({ clientId, brokers, logLevel: level, logCreator, retry: { retries: 5, initialRetryTime: 200 }, ...kafkaSecurityFromEnv() });
}
