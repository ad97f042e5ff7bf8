import { nothingToDo, type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import { moveLevels, type LevelWrite, type Movement, type StockLevel } from './stock-level.domain';

export { lowStockTransition, type LowStockState } from './stock-level.domain';

// Pure rules of stock allocation: no database, no clock (the command brings `now`). The repository locks and
// loads an order's stock, these decide, the repository writes the changes and the events go to the outbox.

export interface StockLine {
  sku: string;
  quantity: number;
}

export interface Shortage {
  sku: string;
  requested: number;
  available: number;
}

export interface WarehouseStock {
  warehouseId: string;
  /** On-hand quantity by SKU; a missing SKU has none. */
  onHand: ReadonlyMap<string, number>;
}

export type AllocationDecision = { kind: 'allocated'; warehouseId: string; lines: StockLine[] } | { kind: 'insufficient'; shortages: Shortage[] };

/** Lines with the same SKU become one line with the summed quantity, in SKU order (a stable lock and event order). */
export function sumLinesBySku(lines: readonly StockLine[]): StockLine[] {
  const totals = new Map<string, number>();
  for (const line of lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      throw new RangeError(`quantity of ${line.sku} must be a positive integer, got ${line.quantity}`);
    }
    totals.set(line.sku, (totals.get(line.sku) ?? 0) + line.quantity);
  }
  return [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([sku, quantity]) => ({ sku, quantity }));
}

/**
 * An order is served whole from ONE warehouse: the first, in the given priority order, that has every
 * line. If none has, nothing is allocated and the shortages are measured against the primary (first)
 * warehouse, listing only the lines it cannot cover; with no warehouse at all everything is short.
 */
export function allocateOrder(requested: readonly StockLine[], warehousesByPriority: readonly WarehouseStock[]): AllocationDecision {
  const lines = sumLinesBySku(requested);
  if (!lines.length) throw new RangeError('an order to allocate has at least one line');
  const available = (w: WarehouseStock | undefined, sku: string) => Math.max(0, w?.onHand.get(sku) ?? 0);

  const serving = warehousesByPriority.find((w) => lines.every((l) => available(w, l.sku) >= l.quantity));
  if (serving) return { kind: 'allocated', warehouseId: serving.warehouseId, lines };

  const primary = warehousesByPriority[0];
  const shortages = lines
    .filter((l) => available(primary, l.sku) < l.quantity)
    .map((l) => ({ sku: l.sku, requested: l.quantity, available: available(primary, l.sku) }));
  return { kind: 'insufficient', shortages };
}

export interface OrderAllocation {
  warehouseId: string;
  lines: StockLine[];
  /** `compensated`: put back because the ERP refused a step of the saga; an operator's retry may deduct again. */
  status: 'deducted' | 'released' | 'compensated';
}

/** An order that found too little stock and waits for it. */
export interface Backorder {
  lines: StockLine[];
  eventId: string;
  by: string;
  /** ERP mode: how often the ERP was asked to serve it and answered "insufficient" (names the next request). */
  erpAttempts?: number;
}

/** The stock of one order: its allocation, its wait, and the stock rows the command may move (locked). */
export interface OrderStock {
  /** Not versioned: the commands come from events, serialised by the order's lock, never from an If-Match. */
  version: number;
  orderId: string;
  allocation: OrderAllocation | null;
  backorder: Backorder | null;
  /** Warehouse ids, the first serves first. */
  warehouses: string[];
  levels: StockLevel[];
}

export type DeductionResult =
  | { outcome: 'deducted'; warehouseId: string; lines: StockLine[] }
  | { outcome: 'insufficient'; shortages: Shortage[] }
  /** The order was deducted before (maybe released since): a re-sent confirmation changes nothing. */
  | { outcome: 'already_allocated' }
  /** The ERP refused the deduction (a 4xx): nothing deducted, the order is held (ADR 0013). */
  | { outcome: 'refused'; erpStatus: number; reason: string };

export type ReleaseResult = { outcome: 'released'; warehouseId: string; lines: StockLine[] } | { outcome: 'nothing_to_release' };

export interface OrderStockChanges<Result> {
  result: Result;
  levels: LevelWrite[];
  movements: Movement[];
  allocate?: { warehouseId: string; lines: StockLine[]; eventId: string };
  markReleased?: boolean;
  /** Put back as the compensation of an ERP refusal (status `compensated`). */
  markCompensated?: boolean;
  /** ERP mode: the ERP was asked to serve the waiting order and answered "insufficient". */
  erpAttempted?: boolean;
  /** Starts waiting for stock (a new shortage) … */
  waitFor?: Backorder;
  /** … or stops (served, or cancelled). */
  stopWaiting?: boolean;
  /** stock.low events among the decision's events. */
  lowAlerts: number;
}

export interface OrderCommand {
  orderId: string;
  eventId: string;
  by: string;
  now: Date;
}

export interface DeductCommand extends OrderCommand {
  lines: readonly StockLine[];
  /** A new confirmation is answered with stock.insufficient and waits; a waiting order just keeps waiting. */
  onShortage: 'answer' | 'wait';
  /** An operator's retry after an ERP refusal: a compensated allocation may be deducted again. */
  redo?: boolean;
}

/** Which stock rows a command locks; `addWarehouse`: a warehouse the ERP names is added to the mirror first. */
export interface LevelScope {
  skus: string[];
  warehouseId?: string;
  addWarehouse?: boolean;
  /** Read the rows without locking them (the ERP's mirror, read before a call to the ERP). */
  readOnly?: boolean;
}

export const unchanged = <R>(result: R): OrderStockChanges<R> => ({ result, levels: [], movements: [], lowAlerts: 0 });

/**
 * An order is deducted once: after that (even released) a confirmation changes nothing. Only an operator's
 * retry (`redo`) may deduct an order again whose stock was put back as a compensation.
 */
export const alreadyDeducted = (order: Pick<OrderStock, 'allocation'>, redo = false): DeductionResult | null =>
  order.allocation && !(redo && order.allocation.status === 'compensated') ? { outcome: 'already_allocated' } : null;

/** What a cancellation puts back: the deducted lines, or nothing (never deducted, or released already). */
export const releasable = (order: Pick<OrderStock, 'allocation'>): { warehouseId: string; lines: StockLine[] } | null =>
  order.allocation?.status === 'deducted' ? { warehouseId: order.allocation.warehouseId, lines: sumLinesBySku(order.allocation.lines) } : null;

export const levelsForDeduction =
  (lines: readonly StockLine[], redo = false) =>
  (order: Pick<OrderStock, 'allocation'>): LevelScope | null =>
    alreadyDeducted(order, redo) ? null : { skus: sumLinesBySku(lines).map((l) => l.sku) };

/** A waiting order has no allocation, or one put back as a compensation (it waits again after a retry). */
export const isWaiting = (order: Pick<OrderStock, 'allocation' | 'backorder'>): boolean =>
  !!order.backorder && (!order.allocation || order.allocation.status === 'compensated');

export const levelsForWaiting = (order: Pick<OrderStock, 'allocation' | 'backorder'>): LevelScope | null =>
  isWaiting(order) ? { skus: sumLinesBySku(order.backorder!.lines).map((l) => l.sku) } : null;

export const levelsForRelease = (order: Pick<OrderStock, 'allocation'>): LevelScope | null => {
  const put = releasable(order);
  return put && { skus: put.lines.map((l) => l.sku), warehouseId: put.warehouseId };
};

export const levelsForErpDeduction =
  (lines: readonly StockLine[], answer: ErpAnswer, redo = false) =>
  (order: Pick<OrderStock, 'allocation'>): LevelScope | null =>
    alreadyDeducted(order, redo) || answer.outcome !== 'deducted'
      ? null
      : { skus: sumLinesBySku(lines).map((l) => l.sku), warehouseId: answer.warehouseId, addWarehouse: true };

export function refusal(cmd: OrderCommand, shortages: Shortage[], waitFor?: Backorder): Decision<OrderStockChanges<DeductionResult>> {
  const insufficient = newEvent('stock.insufficient', { subject: cmd.orderId, data: { orderId: cmd.orderId, shortages, at: cmd.now.toISOString() } });
  return { changes: { ...unchanged<DeductionResult>({ outcome: 'insufficient', shortages }), waitFor }, events: [insufficient] };
}

/** Takes `lines` from one warehouse's rows; a row the mirror lacks (ERP) is skipped, the ledger still records it. */
export function deduction(order: OrderStock, cmd: OrderCommand, warehouseId: string, lines: StockLine[], take: (onHand: number, quantity: number) => number) {
  const { levels, lows } = moveLevels(order.levels, warehouseId, lines, take, cmd.now);
  const { orderId, eventId, by } = cmd;
  const deducted = newEvent('stock.deducted', { subject: orderId, data: { orderId, warehouseId, lines, at: cmd.now.toISOString() } });
  const changes: OrderStockChanges<DeductionResult> = {
    result: { outcome: 'deducted', warehouseId, lines },
    levels,
    movements: lines.map((l) => ({ sku: l.sku, warehouseId, delta: -l.quantity, reason: 'order_deduction' as const, orderId, eventId, by })),
    allocate: { warehouseId, lines, eventId },
    stopWaiting: true,
    lowAlerts: lows.length,
  };
  return { changes, events: [deducted, ...lows] };
}

/** The built-in ledger decides: all lines from the first warehouse that has them, or a shortage. */
export function decideDeduction(order: OrderStock, cmd: DeductCommand): Decision<OrderStockChanges<DeductionResult>> {
  const already = alreadyDeducted(order, cmd.redo);
  if (already) return nothingToDo(unchanged(already));
  const lines = sumLinesBySku(cmd.lines);
  const stock = order.warehouses.map((warehouseId) => ({
    warehouseId,
    onHand: new Map(order.levels.filter((l) => l.warehouseId === warehouseId).map((l) => [l.sku, l.onHand])),
  }));
  const decision = allocateOrder(lines, stock);
  if (decision.kind === 'insufficient') {
    if (cmd.onShortage === 'wait') return nothingToDo(unchanged<DeductionResult>({ outcome: 'insufficient', shortages: decision.shortages }));
    return refusal(cmd, decision.shortages, { lines, eventId: cmd.eventId, by: cmd.by });
  }
  return deduction(order, cmd, decision.warehouseId, decision.lines, (onHand, quantity) => onHand - quantity);
}

/** What the ERP answered a deduction (it owns the stock then). */
export type ErpAnswer = { outcome: 'deducted'; warehouseId: string } | { outcome: 'insufficient'; shortages: Shortage[] };

/**
 * The ERP decided; the local rows are a mirror brought in line (never below zero). A shortage waits as a
 * backorder, as with the built-in ledger: a sync or the ERP's webhook serves it when stock comes in.
 */
export function decideErpDeduction(
  order: OrderStock,
  cmd: OrderCommand & { lines: readonly StockLine[]; redo?: boolean },
  answer: ErpAnswer,
): Decision<OrderStockChanges<DeductionResult>> {
  const already = alreadyDeducted(order, cmd.redo);
  if (already) return nothingToDo(unchanged(already));
  if (answer.outcome === 'insufficient') return refusal(cmd, answer.shortages, { lines: sumLinesBySku(cmd.lines), eventId: cmd.eventId, by: cmd.by });
  return deduction(order, cmd, answer.warehouseId, sumLinesBySku(cmd.lines), (onHand, quantity) => Math.max(0, onHand - quantity));
}

/** A waiting order is served when the stock is there, and otherwise keeps waiting without a new answer. */
export function decideServeWaiting(order: OrderStock, now: Date): Decision<OrderStockChanges<DeductionResult | { outcome: 'not_waiting' }>> {
  if (!order.backorder || !isWaiting(order)) return nothingToDo(unchanged({ outcome: 'not_waiting' as const }));
  return decideDeduction(order, { orderId: order.orderId, ...order.backorder, now, onShortage: 'wait', redo: true });
}

/** A cancelled order (or one held by an ERP refusal: `compensate`) stops waiting and gets back what it took, once. */
export function decideRelease(order: OrderStock, cmd: OrderCommand & { compensate?: boolean }): Decision<OrderStockChanges<ReleaseResult>> {
  const put = releasable(order);
  if (!put) return nothingToDo({ ...unchanged<ReleaseResult>({ outcome: 'nothing_to_release' }), stopWaiting: true });
  const { warehouseId, lines } = put;
  // The built-in ledger has the rows (they were deducted from); an ERP mirror may not know a SKU.
  const { levels, lows } = moveLevels(order.levels, warehouseId, lines, (onHand, quantity) => onHand + quantity, cmd.now);
  const { orderId, eventId, by } = cmd;
  const released = newEvent('stock.released', { subject: orderId, data: { orderId, warehouseId, lines, at: cmd.now.toISOString() } });
  return {
    changes: {
      result: { outcome: 'released', warehouseId, lines },
      levels,
      movements: lines.map((l) => ({ sku: l.sku, warehouseId, delta: l.quantity, reason: 'order_release' as const, orderId, eventId, by })),
      ...(cmd.compensate ? { markCompensated: true } : { markReleased: true }),
      stopWaiting: true,
      lowAlerts: lows.length,
    },
    events: [released, ...lows],
  };
}
