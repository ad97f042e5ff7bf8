import { EventEmitter } from 'node:events';
import type { EachBatchPayload, Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { createEvent } from '@crm/contracts';
import type { EventPublisher } from '../kafka/event-publisher';
import { InboxConsumer } from './inbox-consumer';
import type { EventHandler } from './inbox-context';

/** Every inbox claim succeeds: each event is new. */
const dataSource = {
  transaction: async (fn: (manager: unknown) => Promise<unknown>) =>
    fn({ query: async (_sql: string, params: unknown[]) => params.filter((_p, i) => i % 6 === 1).map((id) => ({ event_id: id })) }),
} as unknown as DataSource;

const kafka = { consumer: () => Object.assign(new EventEmitter(), { events: {} }) } as unknown as Kafka;

function batchOf(count: number, sendHeartbeat: () => Promise<void>) {
  const messages = Array.from({ length: count }, (_, i) => {
    const orderId = `00000000-0000-4000-8000-00000000000${i}`;
    const event = createEvent('order.allocated', { subject: orderId, data: { orderId, at: new Date().toISOString() } });
    return { offset: String(i), value: Buffer.from(JSON.stringify(event)), key: null, timestamp: '0', attributes: 0, headers: {} };
  });
  return {
    batch: { topic: 'crm.orders.v1', partition: 0, highWatermark: String(count), messages },
    resolveOffset: () => undefined,
    heartbeat: sendHeartbeat,
    isRunning: () => true,
    isStale: () => false,
    commitOffsetsIfNecessary: async () => undefined,
  } as unknown as EachBatchPayload;
}

const consumerWith = (handler: EventHandler) =>
  new InboxConsumer(kafka, dataSource, {} as EventPublisher, { groupId: 'g', handlers: new Map([['crm.order.allocated', handler]]), maxBatchSize: 1 });
const handleBatch = (consumer: InboxConsumer, payload: EachBatchPayload) =>
  (consumer as unknown as { handleBatch(p: EachBatchPayload): Promise<void> }).handleBatch(payload);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('InboxConsumer heartbeats while a batch is in progress', () => {
  it('keeps the member alive through a handler slower than a heartbeat interval', async () => {
    let sent = 0;
    let sentDuringHandler = 0;
    const consumer = consumerWith(async () => {
      await sleep(2_500); // a database stall or a locked row
      sentDuringHandler = sent;
    });
    await handleBatch(
      consumer,
      batchOf(1, async () => void (sent += 1)),
    );
    expect(sentDuringHandler).toBeGreaterThanOrEqual(2);
  });

  it('raises a heartbeat failure it met meanwhile (a rebalance) before applying the next message', async () => {
    const applied: string[] = [];
    let calls = 0;
    const consumer = consumerWith(async (event) => {
      applied.push(event.id);
      await sleep(1_500);
    });
    const rebalancing = Object.assign(new Error('The group is rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });
    // Only the first heartbeat (the timer's, during the first handler) fails.
    await expect(
      handleBatch(
        consumer,
        batchOf(2, async () => {
          if (++calls === 1) throw rebalancing;
        }),
      ),
    ).rejects.toBe(rebalancing);
    expect(applied).toHaveLength(1);
  });
});
