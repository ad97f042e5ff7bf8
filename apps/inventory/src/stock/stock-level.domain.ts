import type { EventOf } from '@crm/contracts';
import { DomainError, type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import { itemNotFound } from '../items/items.domain';
import { warehouseNotFound } from '../warehouses/warehouses.domain';

// Pure rules of a stock row (SKU × warehouse) and its ledger: the low-stock alert and goods in.

export const MOVEMENT_REASONS = ['receipt', 'order_deduction', 'order_release', 'adjustment', 'erp_sync'] as const;
export type MovementReason = (typeof MOVEMENT_REASONS)[number];

export interface LowStockState {
  onHand: number;
  reorderPoint: number;
  lowAlerted: boolean;
}

/**
 * stock.low fires once per crossing: when a level is at or below its reorder point and no alert is out;
 * the flag clears only when the level rises above the point again, arming the next alert.
 */
export function lowStockTransition({ onHand, reorderPoint, lowAlerted }: LowStockState): { lowAlerted: boolean; alert: boolean } {
  if (onHand <= reorderPoint) return { lowAlerted: true, alert: !lowAlerted };
  return { lowAlerted: false, alert: false };
}

/** A stock row (SKU × warehouse) as a command finds it, locked. */
export interface StockLevel {
  sku: string;
  warehouseId: string;
  onHand: number;
  lowAlerted: boolean;
  reorderPoint: number;
}

/** What to write back to a stock row. */
export type LevelWrite = Omit<StockLevel, 'reorderPoint'>;

/** One ledger row. */
export interface Movement {
  sku: string;
  warehouseId: string;
  delta: number;
  reason: MovementReason;
  orderId?: string | null;
  eventId?: string | null;
  note?: string | null;
  by: string;
}

/** A level moved to `onHand`: the row to write and the stock.low it raises when this crossed its reorder point. */
export function moveLevel(level: StockLevel, onHand: number, now: Date): { write: LevelWrite; low: EventOf<'stock.low'> | null } {
  const { lowAlerted, alert } = lowStockTransition({ onHand, reorderPoint: level.reorderPoint, lowAlerted: level.lowAlerted });
  const { sku, warehouseId } = level;
  const write = { sku, warehouseId, onHand, lowAlerted };
  if (!alert) return { write, low: null };
  const data = { sku, warehouseId, onHand, threshold: level.reorderPoint, at: now.toISOString() };
  return { write, low: newEvent('stock.low', { subject: sku, data }) };
}

/**
 * Moves the rows of `lines` in one warehouse (`to` gives each new quantity): the rows to write, in line order,
 * and the stock.low events they raise. A line without a row (an ERP mirror that lacks the SKU) moves nothing.
 */
export function moveLevels(
  rows: readonly StockLevel[],
  warehouseId: string,
  lines: readonly { sku: string; quantity: number }[],
  to: (onHand: number, quantity: number) => number,
  now: Date,
): { levels: LevelWrite[]; lows: EventOf<'stock.low'>[] } {
  const levels: LevelWrite[] = [];
  const lows: EventOf<'stock.low'>[] = [];
  for (const line of lines) {
    const level = rows.find((l) => l.sku === line.sku && l.warehouseId === warehouseId);
    if (!level) continue;
    const { write, low } = moveLevel(level, to(level.onHand, line.quantity), now);
    levels.push(write);
    if (low) lows.push(low);
  }
  return { levels, lows };
}

/** Where a receipt goes: the item and the warehouse must exist; the row is then there (created empty) and locked. */
export interface ReceiptTarget {
  /** Stock rows carry no version. */
  version: number;
  itemExists: boolean;
  warehouseExists: boolean;
  level: StockLevel | null;
}

export interface ReceiptCommand {
  sku: string;
  warehouseId: string;
  quantity: number;
  note: string | null;
  by: string;
  now: Date;
}

export interface ReceiptChanges {
  level: LevelWrite;
  movement: Movement;
  lowAlerts: number;
}

export const stockManagedByErp = () => DomainError.conflict('STOCK_MANAGED_BY_ERP', 'Stock is managed by the ERP: book receipts there.');

/** Goods in: the level goes up by the quantity, a ledger row and stock.received; rising above the reorder point re-arms stock.low. */
export function decideReceipt(target: ReceiptTarget, cmd: ReceiptCommand): Decision<ReceiptChanges> {
  if (!target.itemExists) throw itemNotFound(cmd.sku);
  if (!target.warehouseExists) throw warehouseNotFound(cmd.warehouseId);
  if (!target.level) throw new Error(`no stock row for ${cmd.sku} in ${cmd.warehouseId}`);
  const { sku, warehouseId, quantity } = cmd;
  const { write, low } = moveLevel(target.level, target.level.onHand + quantity, cmd.now);
  const received = newEvent('stock.received', { subject: sku, data: { sku, warehouseId, quantity, onHand: write.onHand, at: cmd.now.toISOString() } });
  return {
    changes: { level: write, movement: { sku, warehouseId, delta: quantity, reason: 'receipt', note: cmd.note, by: cmd.by }, lowAlerts: low ? 1 : 0 },
    events: low ? [received, low] : [received],
  };
}
