import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope, type EventName, type EventOf } from '@crm/contracts';
import { eventually, type TestService } from '@crm/testing';

type ConfirmedData = EventOf<'order.confirmed'>['data'];

/** 3 × 19.99 − 5 discount and 2 × 100.10: 54.97 + 200.20 = 255.17. */
export const TWO_LINES: ConfirmedData['lines'] = [
  { lineId: randomUUID(), sku: 'SKU-A', productName: 'Widget', quantity: 3, unitPrice: '19.99', discount: '5', lineTotal: '54.97' },
  { lineId: randomUUID(), sku: 'SKU-B', productName: 'Gadget', quantity: 2, unitPrice: '100.10', discount: '0', lineTotal: '200.20' },
];
export const TWO_LINES_TOTAL = '255.17';

/** A line of `amount` (quantity 1, no discount), for orders whose total a test wants round. */
export const singleLine = (amount: string): ConfirmedData['lines'] => [
  { lineId: randomUUID(), sku: 'SKU-C', productName: 'Service', quantity: 1, unitPrice: amount, discount: '0', lineTotal: amount },
];

export function orderConfirmed(data: Partial<ConfirmedData> = {}): EventOf<'order.confirmed'> {
  const orderId = data.orderId ?? randomUUID();
  return createEvent('order.confirmed', {
    subject: orderId,
    data: {
      orderId,
      opportunityId: null,
      repId: randomUUID(),
      team: 'north',
      customer: { name: 'ACME GmbH' },
      currency: 'EUR',
      lines: TWO_LINES,
      total: TWO_LINES_TOTAL,
      paymentTerms: 'NET30',
      by: 'system',
      autoConfirmed: false,
      confirmedAt: '2026-03-10T09:30:00.000Z',
      ...data,
    },
  });
}

export const orderCancelled = (orderId: string, reason = 'customer withdrew'): EventOf<'order.cancelled'> =>
  createEvent('order.cancelled', {
    subject: orderId,
    data: { orderId, previousStatus: 'confirmed', reason, by: 'system', cancelledAt: new Date().toISOString() },
  });

/** Resolves once the consumer has applied (or skipped as a duplicate) the event: its inbox row exists. */
export async function consumed(svc: TestService, eventId: string): Promise<void> {
  await eventually(
    async () => {
      const rows = await svc.dataSource.query('SELECT 1 FROM inbox WHERE event_id = $1', [eventId]);
      if (!rows.length) throw new Error(`event ${eventId} not consumed yet`);
    },
    { timeoutMs: 40_000 },
  );
}

export async function receivableOf(svc: TestService, orderId: string) {
  const [row] = await svc.dataSource.query(
    `SELECT id, amount::text, paid::text, status, currency, due_date::text AS due_date, overdue_alerted_at, version
       FROM receivables WHERE order_id = $1`,
    [orderId],
  );
  return row as
    | { id: string; amount: string; paid: string; status: string; currency: string; due_date: string; overdue_alerted_at: Date | null; version: number }
    | undefined;
}

export async function openReceivable(svc: TestService, data: Partial<ConfirmedData> = {}) {
  const event = orderConfirmed(data);
  await svc.publish(event);
  await consumed(svc, event.id);
  const receivable = await receivableOf(svc, event.data.orderId);
  if (!receivable) throw new Error(`no receivable for order ${event.data.orderId}`);
  return { event, receivable };
}

/** Events of a type this service wrote to its outbox (what it publishes), optionally for one subject. */
export async function outboxed(svc: TestService, name: EventName, subject?: string): Promise<EventEnvelope[]> {
  const rows: { payload: EventEnvelope }[] = await svc.dataSource.query(
    'SELECT payload FROM outbox WHERE event_type = $1 AND ($2::text IS NULL OR message_key = $2) ORDER BY seq',
    [`crm.${name}`, subject ?? null],
  );
  return rows.map((r) => r.payload);
}

/** Events of a type on the service's Kafka topic whose data names this order. */
export async function publishedFor(svc: TestService, name: EventName, orderId: string): Promise<EventEnvelope[]> {
  return (await svc.published(name)).filter((e) => (e.data as { orderId?: string }).orderId === orderId);
}

export const ADMIN = { sub: randomUUID(), roles: ['admin'] };
export const INTEGRATION = { sub: 'erp-bridge', roles: ['integration'] };
