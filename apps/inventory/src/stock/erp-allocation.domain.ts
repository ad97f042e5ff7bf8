import { createHash } from 'node:crypto';
import { nothingToDo, type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import {
  allocateOrder,
  alreadyDeducted,
  deduction,
  isWaiting,
  sumLinesBySku,
  unchanged,
  type DeductionResult,
  type ErpAnswer,
  type OrderCommand,
  type OrderStock,
  type OrderStockChanges,
  type StockLine,
} from './allocation.domain';

// Pure rules for an ERP that owns the stock: when a waiting order is worth asking the ERP for, what its answer
// does, and what a refusal (a 4xx) does. The local levels are the ERP's mirror (sync, webhook, deductions).

/** The ERP's refusal of a deduction (a 4xx) and its reason. */
export interface ErpRefused {
  erpStatus: number;
  reason: string;
}

/** What to ask the ERP for a waiting order: its lines and the Idempotency-Key of this attempt. */
export interface ErpServeRequest {
  lines: StockLine[];
  idempotencyKey: string;
}

/**
 * The Idempotency-Key of the n-th attempt to serve a waiting order: the same on a retried (rolled back)
 * attempt, so the ERP deducts once, and new after an "insufficient" answer was stored, so the ERP does not
 * replay that answer. A UUID (name-based, like v5) derived from the confirmation's event id and n.
 */
export function erpServeKey(eventId: string, attempt: number): string {
  const h = createHash('sha1').update(`erp-serve:${eventId}:${attempt}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The same rule as the built-in ledger (one warehouse by priority covers every line) applied to the mirror:
 * the ERP is asked only when the mirror says the order fits, so the sweep does not ask it for every waiting
 * order every few seconds. The ERP's answer decides.
 */
export function erpServeRequest(order: OrderStock): ErpServeRequest | null {
  if (!isWaiting(order)) return null;
  const lines = sumLinesBySku(order.backorder!.lines);
  const stock = order.warehouses.map((warehouseId) => ({
    warehouseId,
    onHand: new Map(order.levels.filter((l) => l.warehouseId === warehouseId).map((l) => [l.sku, l.onHand])),
  }));
  if (allocateOrder(lines, stock).kind !== 'allocated') return null;
  return { lines, idempotencyKey: erpServeKey(order.backorder!.eventId, (order.backorder!.erpAttempts ?? 0) + 1) };
}

type ServeResult = DeductionResult | { outcome: 'not_waiting' };

/** The ERP's answer for a waiting order: served (stock.deducted), or it keeps waiting without a new answer. */
export function decideErpServeWaiting(order: OrderStock, answer: ErpAnswer, now: Date): Decision<OrderStockChanges<ServeResult>> {
  if (!isWaiting(order)) return nothingToDo(unchanged<ServeResult>({ outcome: 'not_waiting' }));
  const { lines, eventId, by } = order.backorder!;
  if (answer.outcome === 'insufficient') {
    return nothingToDo({ ...unchanged<ServeResult>({ outcome: 'insufficient', shortages: answer.shortages }), erpAttempted: true });
  }
  const cmd = { orderId: order.orderId, eventId, by, now };
  return deduction(order, cmd, answer.warehouseId, sumLinesBySku(lines), (onHand, quantity) => Math.max(0, onHand - quantity));
}

/** The ERP refused the deduction (a 4xx): nothing is deducted, the order stops waiting, orders holds it. */
export function decideErpRefusal(order: OrderStock, cmd: OrderCommand & { redo?: boolean }, refused: ErpRefused): Decision<OrderStockChanges<DeductionResult>> {
  const already = alreadyDeducted(order, cmd.redo);
  if (already) return nothingToDo(unchanged(already));
  const { orderId } = cmd;
  const event = newEvent('stock.deduction_refused', { subject: orderId, data: { orderId, ...refused, at: cmd.now.toISOString() } });
  return { changes: { ...unchanged<DeductionResult>({ outcome: 'refused', ...refused }), stopWaiting: true }, events: [event] };
}
