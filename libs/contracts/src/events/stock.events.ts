import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { Id, ProductLine, Shortage, Sku, StockLine, Timestamp } from '../primitives';
import { Topics } from '../topics';

// Order-driven stock events use the order id as subject, so they stay in order per order.
const stock = { topic: Topics.inventory, source: 'inventory' } as const;
const OrderStock = z.object({ orderId: Id, warehouseId: z.string().min(1), lines: z.array(StockLine).min(1), at: Timestamp });

export const ItemUpserted = defineEvent({
  ...stock,
  name: 'item.upserted',
  summary: 'A catalogue item (SKU) was created or changed; orders and analytics keep a copy.',
  data: z.object({
    sku: Sku,
    name: z.string().min(1).max(200),
    productLine: ProductLine.optional(),
    active: z.boolean(),
    updatedAt: Timestamp,
  }),
});

export const StockDeducted = defineEvent({
  ...stock,
  name: 'stock.deducted',
  summary: 'All lines of a confirmed order were deducted (all or nothing).',
  data: OrderStock,
});

export const StockInsufficient = defineEvent({
  ...stock,
  name: 'stock.insufficient',
  summary: 'A confirmed order could not be served; nothing was deducted.',
  data: z.object({ orderId: Id, shortages: z.array(Shortage).min(1), at: Timestamp }),
});

export const StockDeductionRefused = defineEvent({
  ...stock,
  name: 'stock.deduction_refused',
  summary: 'The ERP refused the deduction of a confirmed order (a 4xx): nothing was deducted; orders holds the order.',
  data: z.object({ orderId: Id, erpStatus: z.number().int().min(400).max(499), reason: z.string().min(1).max(2000), at: Timestamp }),
});

export const StockReleased = defineEvent({
  ...stock,
  name: 'stock.released',
  summary: 'Stock deducted for a cancelled order, or one held by an ERP refusal, was put back.',
  data: OrderStock,
});

export const StockReceived = defineEvent({
  ...stock,
  name: 'stock.received',
  summary: 'Goods arrived in a warehouse.',
  data: z.object({ sku: Sku, warehouseId: z.string().min(1), quantity: z.number().int().positive(), onHand: z.number().int().min(0), at: Timestamp }),
});

export const StockLow = defineEvent({
  ...stock,
  name: 'stock.low',
  summary: 'Stock of a SKU fell to or below its threshold.',
  data: z.object({ sku: Sku, warehouseId: z.string().min(1), onHand: z.number().int().min(0), threshold: z.number().int().min(0), at: Timestamp }),
});
