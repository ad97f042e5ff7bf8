import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { ContractViolationError, EVENT_CATALOGUE, decodeEvent, type EventEnvelope } from '@crm/contracts';
import { runWithCorrelation } from '@crm/observability';
import { backoffDelay, sleep, type BackoffOptions } from '../backoff';
import { sendToDeadLetterTopic, type DeadLetterReason } from '../dead-letter/dead-letter';
import type { EventPublisher } from '../kafka/event-publisher';
import type { MessagingMetrics } from '../messaging-metrics';
import { consumerSpan, endWithError, handleInSpan } from '../tracing/messaging-spans';
import { TransactionBatches, claimInboxEvent, claimInboxEvents, type EventHandler, type InboxContext } from './inbox-context';
import { SESSION_TIMEOUT_MS, type InboxConsumerOptions } from './inbox-options';
import { isTransientInfrastructureError, refusedForGood } from './transient-error';

export { SESSION_TIMEOUT_MS, type InboxConsumerOptions } from './inbox-options';

type Outcome = 'applied' | 'duplicate' | 'ignored' | 'dead_lettered';

/** How often a batch in progress offers a heartbeat; kafkajs sends one when its 3 s interval has passed. */
const HEARTBEAT_TICK_MS = 1_000;

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
  private readonly maxBatchSize: number;
  private stopped = false;
  private restartTimer?: NodeJS.Timeout;
  private restarts = 0;

  constructor(
    kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly deadLetters: EventPublisher,
    private readonly options: InboxConsumerOptions,
  ) {
    this.consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false, sessionTimeout: options.sessionTimeoutMs ?? SESSION_TIMEOUT_MS });
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoff = options.backoff ?? { initialMs: 200, maxMs: 5_000 };
    this.maxBatchSize = Math.max(1, options.maxBatchSize ?? 100);
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => this.onCrash(payload.error, payload.restart));
    // Back in the group: the next outage's restarts start from a short delay again, not from the capped one.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => (this.restarts = 0));
  }

  get topics(): string[] {
    const types = new Set(this.options.handlers.keys());
    return [...new Set(EVENT_CATALOGUE.filter((d) => types.has(d.type)).map((d) => `${this.options.topicPrefix ?? ''}${d.topic}`))];
  }

  async start(): Promise<void> {
    this.stopped = false;
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

  /**
   * kafkajs restarts a crashed consumer only after errors it deems retriable. It gives up on others, such as
   * "failed to find group coordinator" while a restarted broker loads its offsets topic: the partitions would
   * then stay unconsumed for good while the service looks healthy. Those crashes are restarted here.
   */
  private onCrash(error: Error, restartedByKafkajs: boolean): void {
    if (restartedByKafkajs || this.stopped) return;
    this.restarts += 1;
    const delay = backoffDelay(Math.min(this.restarts, 6), this.backoff);
    this.options.logger?.error(`consumer ${this.options.groupId} crashed (${error.name}: ${error.message}); restarting it in ${delay} ms`);
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (this.stopped) return;
      this.start().catch((err: Error) => this.onCrash(err, false));
    }, delay);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.consumer.disconnect();
  }

  private async handleBatch({ batch, resolveOffset, heartbeat: sendHeartbeat, isRunning, isStale, commitOffsetsIfNecessary }: EachBatchPayload) {
    // kafkajs heartbeats only when asked, between messages: a transaction held up (a database stall, a locked
    // row) past the session timeout would cost the partitions a rebalance. A timer keeps the member alive
    // meanwhile; what it meets (a rebalance under way) is raised at the next message, as the loop's own would be.
    let heartbeatFailure: unknown;
    const keepAlive = setInterval(() => void sendHeartbeat().catch((err: unknown) => (heartbeatFailure ??= err)), HEARTBEAT_TICK_MS);
    const heartbeat = async () => {
      if (heartbeatFailure) throw heartbeatFailure;
      await sendHeartbeat();
    };
    try {
      for (let i = 0; i < batch.messages.length;) {
        if (!isRunning() || isStale()) break;
        const chunk = batch.messages.slice(i, i + this.maxBatchSize);
        const outcome = chunk.length > 1 ? await this.applyChunk(batch.topic, batch.partition, chunk) : { failed: undefined, handlerFailed: false };
        if (outcome === true) {
          resolveOffset(chunk[chunk.length - 1].offset);
          i += chunk.length;
          await heartbeat();
          continue;
        }
        // One at a time: a lone message, or a failed chunk up to the message that failed it; then chunks again.
        for (const message of chunk) {
          if (!isRunning() || isStale()) break;
          // The event that failed the shared transaction has had its first attempt there.
          const firstAttempt = message.offset === outcome.failed && outcome.handlerFailed ? Math.min(2, this.maxAttempts) : 1;
          await this.handleMessage(batch.topic, batch.partition, message, heartbeat, isRunning, firstAttempt);
          resolveOffset(message.offset);
          i += 1;
          await heartbeat();
          if (message.offset === outcome.failed) break;
        }
      }
    } finally {
      clearInterval(keepAlive);
    }
    // Lag is measured from the broker's offsets on an interval (ConsumerLagMonitor), not here: a consumer that
    // stops receiving batches would freeze its last figure.
    await commitOffsetsIfNecessary();
  }

  private async handleMessage(
    topic: string,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
    isRunning: () => boolean,
    firstAttempt = 1,
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
    // One span for every attempt at the event; the handler runs inside it, so what it appends continues the trace.
    const span = consumerSpan(topic, partition, message, event, this.options.groupId);
    let failure: unknown;
    try {
      if (firstAttempt > 1) await sleep(backoffDelay(firstAttempt - 1, this.backoff));
      for (let attempt = firstAttempt; ; attempt++) {
        try {
          const ctx = { topic, partition, offset: message.offset, attempt };
          await this.options.openPersonalData?.([event]);
          const applied = await runWithCorrelation(event.correlationid, () => this.applyOnce(event, handler, ctx), event.id, span);
          failure = undefined;
          return this.count(event.type, applied ? 'applied' : 'duplicate');
        } catch (err) {
          failure = err;
          // Shutting down, nothing is dead-lettered: the offset stays unresolved for the partition's next owner.
          // A database outage is not the message's fault either: the partition waits for it.
          if (!isRunning()) throw err;
          const poison = attempt >= this.maxAttempts || refusedForGood(err);
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
      if (failure === undefined) span?.end();
      else endWithError(span, failure);
    }
  }

  /**
   * Applies consecutive messages of one partition in one transaction: one multi-row inbox claim, then each
   * claimed event's handler in order. False (nothing committed) when any message cannot be decoded or any
   * handler fails (`failed`: the offset whose handler threw): the caller then applies them one by one with
   * retries and the DLQ.
   */
  private async applyChunk(topic: string, partition: number, messages: KafkaMessage[]): Promise<true | { failed?: string; handlerFailed?: boolean }> {
    const items: { event: EventEnvelope; handler: EventHandler; message: KafkaMessage }[] = [];
    const ignored: string[] = [];
    for (const message of messages) {
      let event: EventEnvelope;
      try {
        event = decodeEvent(message.value);
      } catch {
        return { failed: message.offset };
      }
      const handler = this.options.handlers.get(event.type);
      if (handler) items.push({ event, handler, message });
      else ignored.push(event.type);
    }
    try {
      await this.options.openPersonalData?.(items.map((i) => i.event));
    } catch {
      return { failed: items[0]?.message.offset };
    }
    // Nothing to apply (events of types this group does not handle): no transaction, no inbox rows, as for a lone one.
    if (!items.length) {
      for (const type of ignored) this.count(type, 'ignored');
      return true;
    }
    const startedAt = process.hrtime.bigint();
    let failed: string | undefined;
    let applied: Set<EventEnvelope>;
    try {
      applied = await this.dataSource.transaction(async (manager) => {
        const done = new Set<EventEnvelope>();
        // An id delivered twice within the chunk is claimed once: only its first delivery applies.
        const unclaimed = await claimInboxEvents(manager, this.options.groupId, topic, partition, items);
        const batches = new TransactionBatches();
        for (const { event, handler, message } of items) {
          if (!unclaimed.delete(event.id)) continue;
          const ctx = { manager, topic, partition, offset: message.offset, attempt: 1, batch: batches.get };
          failed = message.offset;
          await handleInSpan(consumerSpan(topic, partition, message, event, this.options.groupId), event, () => handler(event, ctx));
          done.add(event);
        }
        // A failing flush is no one message's fault: the whole chunk is then applied one by one.
        failed = undefined;
        await batches.flush();
        return done;
      });
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      this.options.logger?.warn(`${topic}[${partition}] batch of ${messages.length} failed, applying one by one: ${err.message}`);
      return { failed, handlerFailed: failed !== undefined };
    }
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9 / Math.max(1, items.length);
    for (const { event } of items) {
      this.options.metrics?.processingSeconds.observe({ group: this.options.groupId, type: event.type }, seconds);
      this.count(event.type, applied.has(event) ? 'applied' : 'duplicate');
    }
    for (const type of ignored) this.count(type, 'ignored');
    return true;
  }

  /** Returns false when the event was applied before (its inbox row exists). */
  private applyOnce(event: EventEnvelope, handler: EventHandler, meta: Omit<InboxContext, 'manager' | 'batch'>): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await claimInboxEvent(manager, this.options.groupId, event, meta))) return false;
      const batches = new TransactionBatches();
      await handler(event, { manager, ...meta, batch: batches.get });
      await batches.flush();
      return true;
    });
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, reason: DeadLetterReason, error: unknown, attempts: number, type: string) {
    await sendToDeadLetterTopic(this.deadLetters, { topic, partition, message, groupId: this.options.groupId, reason, error, attempts });
    this.options.metrics?.deadLettered.inc({ group: this.options.groupId, topic, reason });
    this.options.logger?.error(`dead-lettered ${topic}[${partition}]@${message.offset} (${reason}): ${(error as Error)?.message ?? error}`);
    this.count(type, 'dead_lettered');
  }

  private count(type: string, outcome: Outcome) {
    this.options.metrics?.eventsConsumed.inc({ group: this.options.groupId, type, outcome });
  }
}
