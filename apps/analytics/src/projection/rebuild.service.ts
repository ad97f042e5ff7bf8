import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ContractViolationError, Topics, decodeEvent, type EventEnvelope } from '@crm/contracts';
import { claimInboxEvent, consumeToEnd, MessagingRuntime } from '@crm/messaging';
import type { ServiceConfig } from '@crm/platform';
import { AggregatesRepository } from './aggregates.repository';
import { MERGE_EVENT_TYPES } from './customers.projection';
import { ProjectionBatch } from './projection-batch';
import { Projector } from './projector.service';

export const ANALYTICS_CONFIG = Symbol('ANALYTICS_CONFIG');
/** The consumer name `connectEventConsumers` gives the service's inbox server. */
export const LIVE_CONSUMER = 'events';

// Directories first, then the journey: dimensions are then known before the facts that use them (the
// projection does not need it, re-projecting on late dimensions, but it saves that work). Customers last, and
// its merges after everything else (below).
const REPLAY_ORDER = [Topics.reps, Topics.inventory, Topics.leads, Topics.opportunities, Topics.orders, Topics.finance, Topics.customers];
// Events per transaction: the fact writes and re-projections are set-based, so bigger chunks amortise them.
const CHUNK = 1_000;

/** What the replay needs of a Kafka message. */
interface TopicMessage {
  offset: string;
  value: Buffer | null;
}

/** A merge or its undo, held back until every fact is replayed. */
interface DeferredMerge {
  topic: string;
  partition: number;
  message: TopicMessage;
  time: string;
}

/** When a merge event (`account.merged` …) was made, or null for any other message. */
function mergeTime(value: Buffer | null): string | null {
  try {
    const event = JSON.parse(value?.toString() ?? 'null') as { type?: unknown; time?: unknown; data?: { at?: unknown } } | null;
    if (!event || !MERGE_EVENT_TYPES.includes(String(event.type))) return null;
    // The merge's own `at` (when the customers service made it) orders merges made in one millisecond's envelope
    // time too; the envelope time is the fallback.
    const at = event.data?.at ?? event.time;
    return typeof at === 'string' ? at : null;
  } catch {
    return null;
  }
}

export interface RebuildResult {
  applied: number;
  skipped: number;
  failed: number;
}

/**
 * Rebuilds the read model from the retained topics: empties it and the live consumer's inbox rows, then
 * replays every topic from the beginning up to its end as of the start (a throw-away consumer group),
 * claiming each event in the inbox under the live consumer's name. The live consumer may keep running:
 * an event it applies meanwhile is claimed once, by whichever gets there first, and what arrives after
 * the replay's end offsets is its job anyway.
 */
@Injectable()
export class RebuildService {
  private readonly logger = new Logger(RebuildService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messaging: MessagingRuntime,
    private readonly projector: Projector,
    private readonly aggregates: AggregatesRepository,
    @Inject(ANALYTICS_CONFIG) private readonly config: ServiceConfig,
  ) {}

  get liveGroupId(): string {
    return this.messaging.groupIdFor(LIVE_CONSUMER);
  }

  async rebuild(timeoutMs = 30 * 60_000): Promise<RebuildResult> {
    const result: RebuildResult = { applied: 0, skipped: 0, failed: 0 };
    await this.dataSource.transaction((m) => this.aggregates.emptyReadModel(m, this.liveGroupId));
    const deadline = Date.now() + timeoutMs;
    const merges: DeferredMerge[] = [];
    for (const topic of REPLAY_ORDER) await this.replayTopic(`${this.config.topicPrefix}${topic}`, result, deadline, merges);
    // Merges move the facts that exist: applied after all of them, in the order they were made (a merge and
    // its undo share a partition, but merges of different survivors do not), as live would have seen them.
    merges.sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || a.partition - b.partition || Number(BigInt(a.message.offset) - BigInt(b.message.offset)));
    for (const d of merges) await this.applyChunk(d.topic, d.partition, [d.message], result);
    this.logger.log(`rebuild done: ${result.applied} applied, ${result.skipped} skipped, ${result.failed} failed`);
    return result;
  }

  /** Reads the topic up to its end as of now (a throw-away group) and applies it in chunks per partition. */
  private async replayTopic(topic: string, result: RebuildResult, deadline: number, merges: DeferredMerge[]): Promise<void> {
    const buffers = new Map<number, TopicMessage[]>();
    const flush = async (partition: number) => {
      const messages = buffers.get(partition) ?? [];
      buffers.delete(partition);
      if (messages.length) await this.applyChunk(topic, partition, messages, result);
    };
    const outcome = await consumeToEnd(this.messaging.kafka, {
      topic,
      groupId: `${this.messaging.groupIdFor('rebuild')}-${randomUUID()}`,
      deleteGroup: true,
      timeoutMs: Math.max(0, deadline - Date.now()),
      onMessage: async ({ partition, message }) => {
        const time = mergeTime(message.value);
        if (time) return void merges.push({ topic, partition, message, time });
        const buffer = buffers.get(partition) ?? [];
        buffer.push(message);
        buffers.set(partition, buffer);
        if (buffer.length >= CHUNK) await flush(partition);
      },
    });
    if (outcome === 'timeout') throw new Error(`rebuild timed out replaying ${topic}`);
    for (const partition of [...buffers.keys()]) await flush(partition);
  }

  /** One transaction per chunk; if it fails, event by event so one bad event (already dead-lettered live) is skipped alone. */
  private async applyChunk(topic: string, partition: number, messages: TopicMessage[], result: RebuildResult): Promise<void> {
    try {
      const counts = await this.dataSource.transaction(async (manager) => {
        const events = messages.map((message) => ({ message, event: this.decode(message) }));
        const handled = events.filter((e): e is { message: TopicMessage; event: EventEnvelope } => e.event !== undefined);
        // One inbox claim for the chunk; each fact it touches is re-projected once, each table written once, before the commit.
        const claims = handled.map(({ message, event }) => ({ id: event.id, type: event.type, topic, partition, offset: message.offset }));
        const unclaimed = await this.aggregates.claimEvents(manager, this.liveGroupId, claims);
        const batch = new ProjectionBatch();
        let applied = 0;
        for (const { event } of handled) {
          // An id twice in the chunk is applied once, at its first delivery.
          if (!unclaimed.delete(event.id)) continue;
          await this.projector.apply(manager, event, { topic, partition }, batch);
          applied++;
        }
        await this.projector.flush(manager, batch);
        return { applied, skipped: messages.length - applied };
      });
      result.applied += counts.applied;
      result.skipped += counts.skipped;
    } catch {
      for (const message of messages) {
        try {
          (await this.dataSource.transaction((manager) => this.applyOne(manager, topic, partition, message))) ? result.applied++ : result.skipped++;
        } catch (err) {
          result.failed++;
          this.logger.error(`rebuild: ${topic}[${partition}]@${message.offset} failed: ${(err as Error).message}`);
        }
      }
    }
  }

  /** The message's event when the read model uses it; undefined when it is off-contract or of another type. */
  private decode(message: TopicMessage): EventEnvelope | undefined {
    let event;
    try {
      event = decodeEvent(message.value);
    } catch (err) {
      if (err instanceof ContractViolationError) return undefined;
      throw err;
    }
    return this.projector.handles(event.type) ? event : undefined;
  }

  private async applyOne(manager: EntityManager, topic: string, partition: number, message: TopicMessage): Promise<boolean> {
    const event = this.decode(message);
    if (!event) return false;
    if (!(await claimInboxEvent(manager, this.liveGroupId, event, { topic, partition, offset: message.offset }))) return false;
    await this.projector.apply(manager, event, { topic, partition });
    return true;
  }
}
