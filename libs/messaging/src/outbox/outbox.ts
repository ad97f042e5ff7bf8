import type { EntityManager } from 'typeorm';
import { findDefinition, type EventEnvelope } from '@crm/contracts';
import { personalDataVault, sealEvents } from '@crm/privacy';
import { withTraceContext } from '../tracing/messaging-spans';

/** PostgreSQL delivers a NOTIFY only when its transaction commits: exactly when the relay has work. */
export const OUTBOX_CHANNEL = 'crm_outbox';

/**
 * Records events in the caller's transaction, next to the state change that caused them, with the trace context
 * of the work appending them (ADR 0028).
 * Business code calls this and never the producer: the relay publishes after commit. Personal fields are
 * sealed here with their record's key, so neither the outbox nor the topics ever hold them readable (ADR 0024).
 */
export async function appendToOutbox(manager: EntityManager, events: readonly EventEnvelope[]): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('appendToOutbox needs the EntityManager of an open transaction');
  }
  if (!events.length) return;
  // Traced work stamps its trace context on what it appends: the relay and the consumers continue that trace.
  const sealed = await sealEvents(withTraceContext(events), personalDataVault());
  const params: unknown[] = [];
  const rows = sealed.map((event, i) => {
    const def = findDefinition(event.type, event.dataversion);
    if (!def) throw new Error(`no contract for ${event.type} v${event.dataversion}`);
    params.push(event.id, def.topic, event.subject, event.type, JSON.stringify(event));
    const p = i * 5;
    return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::jsonb)`;
  });
  // The NOTIFY rides on the INSERT's round trip: a data-modifying CTE always runs to completion.
  await manager.query(
    `WITH appended AS (INSERT INTO outbox (event_id, topic, message_key, event_type, payload) VALUES ${rows.join(', ')})
     SELECT pg_notify('${OUTBOX_CHANNEL}', '')`,
    params,
  );
}
