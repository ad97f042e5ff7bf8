import type { EventEnvelope, EventOf } from '@crm/contracts';
import { DomainError, type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import { itemNotFound } from '../items/items.domain';
import { moveLevel, type LevelWrite, type Movement, type StockLevel } from '../stock/stock-level.domain';

// Pure rules for stock the ERP reports: a pushed receipt or adjustment, and a periodic pull of levels.

export interface ErpStockCommand {
  eventId: string;
  type: 'receipt' | 'adjustment';
  sku: string;
  warehouseId: string;
  quantity: number;
  note?: string;
  now: Date;
}

/** The row a pushed event changes, locked; `level` is null when the SKU is not in the catalogue. */
export interface ErpStockTarget {
  /** Stock rows carry no version. */
  version: number;
  level: StockLevel | null;
}

export interface LevelChanges {
  levels: LevelWrite[];
  movements: Movement[];
  lowAlerts: number;
}

/** A receipt must bring goods in; an adjustment may go either way (the DTO refuses 0). */
export function checkErpStockEvent(cmd: Pick<ErpStockCommand, 'type' | 'quantity'>): void {
  if (cmd.type === 'receipt' && cmd.quantity < 1) {
    throw DomainError.invalidInput('quantity', 'min', 'quantity of a receipt must be at least 1');
  }
}

/** A receipt or adjustment the ERP pushed: the level moves, a ledger row, stock.received for goods in; never below 0. */
export function decideErpStockEvent(target: ErpStockTarget, cmd: ErpStockCommand): Decision<LevelChanges> {
  checkErpStockEvent(cmd);
  const { level } = target;
  if (!level) throw itemNotFound(cmd.sku);
  const next = level.onHand + cmd.quantity;
  if (next < 0) {
    // The mirror is behind the ERP; the next sync brings the level, a negative one is never stored.
    throw DomainError.conflict('NEGATIVE_STOCK', `The adjustment would take ${cmd.sku} in ${cmd.warehouseId} from ${level.onHand} to ${next}.`);
  }
  const { write, low } = moveLevel(level, next, cmd.now);
  const { sku, warehouseId, quantity } = cmd;
  const events: EventEnvelope[] = [];
  if (cmd.type === 'receipt') {
    events.push(newEvent('stock.received', { subject: sku, data: { sku, warehouseId, quantity, onHand: next, at: cmd.now.toISOString() } }));
  }
  if (low) events.push(low);
  const movement: Movement = { sku, warehouseId, delta: quantity, reason: cmd.type, note: cmd.note ?? `ERP event ${cmd.eventId}`, by: 'erp' };
  return { changes: { levels: [write], movements: [movement], lowAlerts: low ? 1 : 0 }, events };
}

export interface ErpLevel {
  sku: string;
  warehouseId: string;
  onHand: number;
}

/**
 * A pull of the ERP's levels over the locked local rows: each changed row takes the ERP's quantity with an
 * `erp_sync` ledger row, and raises stock.low when it crosses its reorder point. Rows the ERP does not list stay.
 */
export function decideErpSync(rows: readonly StockLevel[], latest: readonly ErpLevel[], erpName: string, now: Date): Decision<LevelChanges> {
  const byKey = new Map(latest.map((l) => [`${l.sku}\u0000${l.warehouseId}`, l]));
  const changes: LevelChanges = { levels: [], movements: [], lowAlerts: 0 };
  const lows: EventOf<'stock.low'>[] = [];
  for (const level of rows) {
    const erpLevel = byKey.get(`${level.sku}\u0000${level.warehouseId}`);
    if (!erpLevel || erpLevel.onHand === level.onHand) continue;
    const { write, low } = moveLevel(level, erpLevel.onHand, now);
    changes.levels.push(write);
    const delta = erpLevel.onHand - level.onHand;
    changes.movements.push({ sku: level.sku, warehouseId: level.warehouseId, delta, reason: 'erp_sync', note: `ERP ${erpName} sync`, by: 'system' });
    if (low) lows.push(low);
  }
  changes.lowAlerts = lows.length;
  return { changes, events: lows };
}
