import { randomUUID } from 'node:crypto';
import type { DynamicModule } from '@nestjs/common';
import { ALL_TOPICS, createEvent, type EventEnvelope, type EventOf } from '@crm/contracts';
import { ensureTopics } from '@crm/messaging';
import type { ServiceConfig } from '@crm/platform';
import { inventorySettings, type InventorySettings } from '../src/inventory.options';
import { deleteTopicsWithPrefix, eventually, startTestService, testKafka, uniqueTopicPrefix, type TestService } from '@crm/testing';

export const ADMIN = { sub: 'admin-1', roles: ['admin'] };
export const MANAGER = { sub: 'manager-1', roles: ['sales_manager'], team: 'north' };
export const REP = { sub: 'rep-1', roles: ['sales_rep'], team: 'north' };

/** `env` is all the service sees of the environment: no INVENTORY_ERP_URL, the built-in ledger. */
export const startInventory = (
  moduleFor: (config: ServiceConfig<InventorySettings>) => DynamicModule,
  env: Record<string, string> = {},
): Promise<TestService<InventorySettings>> => startTestService('inventory', moduleFor, { env, settings: inventorySettings });

export interface Line {
  sku: string;
  quantity: number;
}

/** A contract-valid order.confirmed as the orders service would publish it. */
export function orderConfirmed(orderId: string, lines: Line[]): EventOf<'order.confirmed'> {
  const orderLines = lines.map((l) => ({
    lineId: randomUUID(),
    sku: l.sku,
    productName: `Product ${l.sku}`,
    quantity: l.quantity,
    unitPrice: '10.00',
    discount: '0',
    lineTotal: `${l.quantity * 10}.00`,
  }));
  return createEvent('order.confirmed', {
    subject: orderId,
    data: {
      orderId,
      opportunityId: null,
      repId: randomUUID(),
      customer: { name: 'ACME Ltd' },
      currency: 'EUR',
      lines: orderLines,
      total: `${lines.reduce((n, l) => n + l.quantity * 10, 0)}.00`,
      paymentTerms: 'NET30',
      by: 'rep-1',
      autoConfirmed: false,
      confirmedAt: new Date().toISOString(),
    },
  });
}

export function orderCancelled(orderId: string, previousStatus: 'allocated' | 'on_hold' = 'allocated'): EventOf<'order.cancelled'> {
  return createEvent('order.cancelled', {
    subject: orderId,
    data: { orderId, previousStatus, reason: 'customer withdrew', by: 'rep-1', cancelledAt: new Date().toISOString() },
  });
}

export async function createItem(svc: TestService, sku: string, reorderPoint = 0, productLine = 'furniture'): Promise<void> {
  await svc
    .as(ADMIN)
    .put(`/api/v1/items/${sku}`)
    .send({ name: `Item ${sku}`, productLine, reorderPoint })
    .expect(201);
}

export async function receive(svc: TestService, sku: string, quantity: number, warehouseId = 'main'): Promise<void> {
  await svc.as(ADMIN).post('/api/v1/stock/receipts').send({ sku, warehouseId, quantity }).expect(201);
}

export async function onHand(svc: TestService, sku: string, warehouseId = 'main'): Promise<number | undefined> {
  const [row] = await svc.dataSource.query('SELECT on_hand FROM stock_levels WHERE sku = $1 AND warehouse_id = $2', [sku, warehouseId]);
  return row?.on_hand;
}

/** Resolves once the consumer has applied (or skipped as duplicate) the event: its inbox row exists. */
export async function applied(svc: TestService, eventId: string, timeoutMs = 30_000): Promise<void> {
  await eventually(
    async () => {
      const rows = await svc.dataSource.query('SELECT 1 FROM inbox WHERE event_id = $1', [eventId]);
      if (!rows.length) throw new Error(`event ${eventId} not applied yet`);
    },
    { timeoutMs },
  );
}

/** Resolves once every outbox row is on Kafka, so what is on the topics is all there will be. */
export async function outboxDrained(svc: TestService): Promise<void> {
  await eventually(async () => {
    const [{ n }] = await svc.dataSource.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
    if (n) throw new Error(`${n} outbox rows not published yet`);
  });
}

export async function publishedFor(svc: TestService, name: Parameters<TestService['published']>[0], key: string, field = 'orderId'): Promise<EventEnvelope[]> {
  return (await svc.published(name)).filter((e) => (e.data as Record<string, unknown>)[field] === key);
}
