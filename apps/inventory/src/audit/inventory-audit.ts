import { changedFields, type FieldChange } from '@crm/audit';
import type { LevelWrite, Movement, StockLevel } from '../stock/stock-level.domain';

// What the trail compares of each inventory record; nothing here is personal data (items, warehouses, quantities).
const ITEM_FIELDS = ['name', 'productLine', 'reorderPoint', 'active'] as const;
const WAREHOUSE_FIELDS = ['id', 'name', 'priority'] as const;
const STOCK_FIELDS = ['onHand', 'delta', 'note'] as const;

type Fields = object | null | undefined;

export const itemChanges = (before: Fields, after: Fields): FieldChange[] => changedFields(before, after, [], ITEM_FIELDS);
export const warehouseChanges = (created: Fields): FieldChange[] => changedFields(null, created, [], WAREHOUSE_FIELDS);

/** A stock row is one SKU in one warehouse. */
export const stockLevelId = (sku: string, warehouseId: string): string => `${sku}@${warehouseId}`;

/** A movement of a stock row: its level before and after, with the ledger row's delta and note. */
export function stockChanges(before: Pick<StockLevel, 'onHand'>, after: LevelWrite, movement: Movement): FieldChange[] {
  return changedFields({ onHand: before.onHand }, { onHand: after.onHand, delta: movement.delta, note: movement.note ?? null }, [], STOCK_FIELDS);
}

/** The action a ledger reason is recorded as. */
export const stockAction = (reason: Movement['reason']): string => (reason === 'receipt' ? 'received' : reason === 'adjustment' ? 'adjusted' : reason);
