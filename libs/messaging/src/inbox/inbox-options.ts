import type { EventEnvelope } from '@crm/contracts';
import type { BackoffOptions } from '../backoff';
import type { MessagingMetrics } from '../messaging-metrics';
import type { EventHandler } from './inbox-context';

export interface InboxConsumerOptions {
  groupId: string;
  /** Handlers by event type (`crm.order.confirmed`); other types on the topics are skipped. */
  handlers: ReadonlyMap<string, EventHandler>;
  /** Prepended to every topic name, e.g. `staging.`; tests use it to isolate their topics. */
  topicPrefix?: string;
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** Partitions handled in parallel; each partition stays strictly sequential. */
  partitionsConsumedConcurrently?: number;
  /**
   * Up to this many consecutive messages of a partition are applied in one transaction (one round trip
   * for their inbox claims, one commit). If that transaction fails, the same messages are applied one by
   * one, so a poison event is retried and dead-lettered alone. 1 applies each event in its own transaction.
   */
  maxBatchSize?: number;
  /** The group member's session timeout (default SESSION_TIMEOUT_MS). */
  sessionTimeoutMs?: number;
  metrics?: MessagingMetrics;
  /** Puts the sealed personal fields back into events before their handlers run (ADR 0024); absent: they stay sealed. */
  openPersonalData?: (events: EventEnvelope[]) => Promise<void>;
  logger?: { warn(message: string): void; error(message: string): void };
}

/**
 * A consumer that crashed (broker restarted, process killed) rejoins as a new member, and the coordinator
 * holds the rebalance until the old member's session expires: with kafkajs' 30 s default every partition
 * stood still ~30 s after a broker restart (GROUP_JOIN took 28 s). 10 s bounds that wait; a batch
 * in progress keeps heartbeating (handleBatch), so a slow one does not lose its partitions to it.
 */
export const SESSION_TIMEOUT_MS = 10_000;
