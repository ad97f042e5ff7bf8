import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@crm/contracts';
import { appendToOutbox } from '../outbox/outbox';
import { withTraceContext } from '../tracing/messaging-spans';

// What a handler is given: the inbox transaction, its per-transaction batches, and the claim that makes it once-only.

export interface InboxContext {
  /** The transaction the inbox row is written in: the handler's effect must use it. */
  manager: EntityManager;
  topic: string;
  partition: number;
  offset: string;
  attempt: number;
  /**
   * State the handlers of one transaction (a chunk of messages, or a lone one) share: `init` makes it on first
   * use under `key`; `flush` runs once after the transaction's last handler, before the commit. Lets a handler
   * defer work its chunk's events have in common, e.g. write summed totals once instead of once per event.
   */
  batch<T>(key: object, init: () => T, flush: (state: T) => Promise<void>): T;
}

/** The per-transaction state behind `InboxContext.batch`. */
export class TransactionBatches {
  private readonly entries = new Map<object, { state: unknown; flush: (state: unknown) => Promise<void> }>();

  readonly get = <T>(key: object, init: () => T, flush: (state: T) => Promise<void>): T => {
    let entry = this.entries.get(key);
    if (!entry) this.entries.set(key, (entry = { state: init(), flush: flush as (state: unknown) => Promise<void> }));
    return entry.state as T;
  };

  async flush(): Promise<void> {
    for (const { state, flush } of this.entries.values()) await flush(state);
  }
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

/** `claimInboxEvent` for consecutive messages of one partition, in one round trip: the ids it claimed. */
export async function claimInboxEvents(
  manager: EntityManager,
  consumer: string,
  topic: string,
  partition: number,
  items: readonly { event: Pick<EventEnvelope, 'id' | 'type'>; message: { offset: string } }[],
): Promise<Set<string>> {
  const params: unknown[] = [];
  const rows = items.map(({ event, message }, i) => {
    params.push(consumer, event.id, event.type, topic, partition, message.offset);
    const p = i * 6;
    return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6})`;
  });
  const claimed: { event_id: string }[] = await manager.query(
    `INSERT INTO inbox (consumer, event_id, event_type, topic, partition, "offset") VALUES ${rows.join(', ')}
     ON CONFLICT DO NOTHING RETURNING event_id`,
    params,
  );
  return new Set(claimed.map((r) => r.event_id));
}

/** Where a decision's events go: the transaction's outbox now, or a batch that writes it later in the same transaction. */
export type EmitEvents = (events: readonly EventEnvelope[]) => void | Promise<void>;

const OUTBOX_BATCH = {};

/**
 * Appends events to the outbox once for the whole transaction, after its last handler: a chunk of messages costs
 * one INSERT and one NOTIFY instead of one of each per message. Events keep the order they were given in; a
 * handler that fails rolls them back with everything else.
 */
export function outboxOf(ctx: Pick<InboxContext, 'manager' | 'batch'>): EmitEvents {
  const pending = ctx.batch(
    OUTBOX_BATCH,
    (): EventEnvelope[] => [],
    (events) => appendToOutbox(ctx.manager, events),
  );
  // Stamped now, inside the handler's span: the append itself runs after the chunk's last handler.
  return (events) => void pending.push(...withTraceContext(events));
}
