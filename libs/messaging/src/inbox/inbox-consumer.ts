import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { ContractViolationError, EVENT_CATALOGUE, decodeEvent, type EventEnvelope } from '@crm/contracts';
import { runWithCorrelation } from '@crm/observability';
import { backoffDelay, sleep, type BackoffOptions } from '../backoff';
import { sendToDeadLetterTopic, type DeadLetterReason } from '../dead-letter/dead-letter';
import type { EventPublisher } from '../kafka/event-publisher';
import type { MessagingMetrics } from '../messaging-metrics';
import { isTransientInfrastructureError } from './transient-error';

export interface InboxContext {
  /** The transaction the inbox row is written in: the handler's effect must use it. */
  manager: EntityManager;
  topic: string;
  partition: number;
  offset: string;
  attempt: number;
}

export type EventHandler = (event: EventEnvelope, ctx: InboxContext) => Promise<unknown>;

/**
 * Records in the open transaction that `consumer` applies `event`; false when it was applied before. The
 * caller's effect must follow in the same transaction, so the row and the effect commit together.
 */
export async function claimInboxEvent(
  manager: EntityManager,
  consumer: string,
  event: Pick<EventEnvelope, 'id' | 'type'>,
  origin: { topic: string; partition: number; offset: string },
): Promise<boolean> {
  const claimed = await manager.query(
    `INSERT INTO inbox (consumer, event_id, event_type, topic, partition, "offset")
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, event.id, event.type, origin.topic, origin.partition, origin.offset],
  );
  return claimed.length > 0;
}

/** A handler error that retrying cannot fix: the message goes to the DLQ at once. */
export class NonRetryableError extends Error {
  override name = 'NonRetryableError';
}

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
  metrics?: MessagingMetrics;
  logger?: { warn(message: string): void; error(message: string): void };
}

type Outcome = 'applied' | 'duplicate' | 'ignored' | 'dead_lettered';

/**
 * Idempotent consumer: each event's effect and its inbox row commit in one transaction, so a
 * redelivered event changes nothing; an offset is resolved only after that commit. Poison messages
 * (unparseable, off-contract, or failing after bounded retries) go to `<topic>.dlq` and the
 * partition moves on.
 */
export class InboxConsumer {
  private readonly consumer: Consumer;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffOptions;

  constructor(
    kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly deadLetters: EventPublisher,
    private readonly options: InboxConsumerOptions,
  ) {
    this.consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoff = options.backoff ?? { initialMs: 200, maxMs: 5_000 };
  }

  get topics(): string[] {
    const types = new Set(this.options.handlers.keys());
    return [...new Set(EVENT_CATALOGUE.filter((d) => types.has(d.type)).map((d) => `${this.options.topicPrefix ?? ''}${d.topic}`))];
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.subscribe();
    await this.consumer.run({
      autoCommit: true,
      autoCommitInterval: 1_000,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  /**
   * A new group reads from the beginning so no event published before its first start is missed. Topics
   * created a moment ago may not be in the broker's metadata yet ("does not host this topic-partition"):
   * that retriable error is waited out for a few seconds.
   */
  private async subscribe(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
      } catch (err) {
        if (!(err as { retriable?: boolean }).retriable || attempt >= 20) throw err;
        await sleep(250 * Math.min(attempt, 4));
      }
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }: EachBatchPayload) {
    let last: string | undefined;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      await this.handleMessage(batch.topic, batch.partition, message, heartbeat, isRunning);
      resolveOffset(message.offset);
      last = message.offset;
      await heartbeat();
    }
    await commitOffsetsIfNecessary();
    if (last !== undefined) {
      const lag = Number(batch.highWatermark) - Number(last) - 1;
      this.options.metrics?.consumerLag.set({ group: this.options.groupId, topic: batch.topic, partition: batch.partition }, lag);
    }
  }

  private async handleMessage(
    topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>, isRunning: () => boolean,
  ) {
    let event: EventEnvelope;
    try {
      event = decodeEvent(message.value);
    } catch (err) {
      if (!(err instanceof ContractViolationError)) throw err;
      return this.deadLetter(topic, partition, message, err.reason, err, 0, 'unknown');
    }
    const handler = this.options.handlers.get(event.type);
    if (!handler) return this.count(event.type, 'ignored');

    const stopTimer = this.options.metrics?.processingSeconds.startTimer({ group: this.options.groupId, type: event.type });
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const ctx = { topic, partition, offset: message.offset, attempt };
          const applied = await runWithCorrelation(event.correlationid, () => this.applyOnce(event, handler, ctx), event.id);
          return this.count(event.type, applied ? 'applied' : 'duplicate');
        } catch (err) {
          // Shutting down, nothing is dead-lettered: the offset stays unresolved for the partition's next owner.
          // A database outage is not the message's fault either: the partition waits for it.
          if (!isRunning()) throw err;
          const poison = attempt >= this.maxAttempts || err instanceof NonRetryableError || err instanceof ContractViolationError;
          if (poison && !isTransientInfrastructureError(err)) {
            return await this.deadLetter(topic, partition, message, 'handler', err, attempt, event.type);
          }
          this.options.logger?.warn(`${event.type} ${event.id} failed (attempt ${attempt}): ${(err as Error).message}`);
          await sleep(backoffDelay(attempt, this.backoff));
          await heartbeat();
        }
      }
    } finally {
      stopTimer?.();
    }
  }

  /** Returns false when the event was applied before (its inbox row exists). */
  private applyOnce(event: EventEnvelope, handler: EventHandler, meta: Omit<InboxContext, 'manager'>): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await claimInboxEvent(manager, this.options.groupId, event, meta))) return false;
      await handler(event, { manager, ...meta });
      return true;
    });
  }

  private async deadLetter(
    topic: string, partition: number, message: KafkaMessage, reason: DeadLetterReason, error: unknown, attempts: number, type: string,
  ) {
    await sendToDeadLetterTopic(this.deadLetters, { topic, partition, message, groupId: this.options.groupId, reason, error, attempts });
    this.options.metrics?.deadLettered.inc({ group: this.options.groupId, topic, reason });
    this.options.logger?.error(`dead-lettered ${topic}[${partition}]@${message.offset} (${reason}): ${(error as Error)?.message ?? error}`);
    this.count(type, 'dead_lettered');
  }

  private count(type: string, outcome: Outcome) {
    this.options.metrics?.eventsConsumed.inc({ group: this.options.groupId, type, outcome });
  }
}
