// Pure rules of stock allocation: no database, no clock. The service locks the rows, asks these, then writes.

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

export type AllocationDecision =
  | { kind: 'allocated'; warehouseId: string; lines: StockLine[] }
  | { kind: 'insufficient'; shortages: Shortage[] };

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
