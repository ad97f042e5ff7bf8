import { DomainError } from '@crm/domain';
import { decideReceipt, moveLevel, moveLevels, type ReceiptTarget, type StockLevel } from './stock-level.domain';

const now = new Date('2026-03-10T09:00:00.000Z');
const level = (onHand: number, reorderPoint = 5, lowAlerted = false): StockLevel => ({ sku: 'A', warehouseId: 'main', onHand, reorderPoint, lowAlerted });

describe('moveLevel', () => {
  it('raises stock.low when a move crosses the reorder point, with the new quantity and the threshold', () => {
    const { write, low } = moveLevel(level(7), 5, now);
    expect(write).toEqual({ sku: 'A', warehouseId: 'main', onHand: 5, lowAlerted: true });
    expect(low).toMatchObject({ type: 'crm.stock.low', subject: 'A', data: { sku: 'A', warehouseId: 'main', onHand: 5, threshold: 5, at: now.toISOString() } });
  });

  it('stays quiet while the alert is out, and re-arms above the point', () => {
    expect(moveLevel(level(4, 5, true), 3, now)).toEqual({ write: expect.objectContaining({ lowAlerted: true }), low: null });
    expect(moveLevel(level(4, 5, true), 6, now)).toEqual({ write: expect.objectContaining({ onHand: 6, lowAlerted: false }), low: null });
  });
});

describe('moveLevels', () => {
  it('moves the rows of one warehouse in line order and skips lines without a row', () => {
    const rows = [level(9), { ...level(9), warehouseId: 'east' }, { ...level(9), sku: 'B' }];
    const { levels, lows } = moveLevels(
      rows,
      'main',
      [
        { sku: 'B', quantity: 1 },
        { sku: 'Z', quantity: 1 },
        { sku: 'A', quantity: 5 },
      ],
      (n, q) => n - q,
      now,
    );
    expect(levels).toEqual([
      { sku: 'B', warehouseId: 'main', onHand: 8, lowAlerted: false },
      { sku: 'A', warehouseId: 'main', onHand: 4, lowAlerted: true },
    ]);
    expect(lows).toHaveLength(1);
  });
});

describe('decideReceipt', () => {
  const target = (over: Partial<ReceiptTarget> = {}): ReceiptTarget => ({ version: 0, itemExists: true, warehouseExists: true, level: level(3), ...over });
  const cmd = { sku: 'A', warehouseId: 'main', quantity: 4, note: 'PO-1', by: 'manager-1', now };

  it('raises the level by the quantity, records the receipt and publishes stock.received with the new level', () => {
    const { changes, events } = decideReceipt(target(), cmd);
    expect(changes.level).toEqual({ sku: 'A', warehouseId: 'main', onHand: 7, lowAlerted: false });
    expect(changes.movement).toEqual({ sku: 'A', warehouseId: 'main', delta: 4, reason: 'receipt', note: 'PO-1', by: 'manager-1' });
    expect(events.map((e) => e.type)).toEqual(['crm.stock.received']);
    expect(events[0].data).toEqual({ sku: 'A', warehouseId: 'main', quantity: 4, onHand: 7, at: now.toISOString() });
    expect(changes.lowAlerts).toBe(0);
  });

  it('publishes stock.low after stock.received when the level is still at or below its point', () => {
    const { changes, events } = decideReceipt(target({ level: level(0) }), { ...cmd, quantity: 1 });
    expect(events.map((e) => e.type)).toEqual(['crm.stock.received', 'crm.stock.low']);
    expect(changes.lowAlerts).toBe(1);
  });

  it('refuses an unknown item, then an unknown warehouse, as not found with their codes', () => {
    expect(() => decideReceipt(target({ itemExists: false, warehouseExists: false, level: null }), cmd)).toThrow(
      expect.objectContaining({ kind: 'not_found', code: 'ITEM_NOT_FOUND', detail: 'There is no item with SKU A.' }),
    );
    expect(() => decideReceipt(target({ warehouseExists: false, level: null }), cmd)).toThrow(
      expect.objectContaining({ kind: 'not_found', code: 'WAREHOUSE_NOT_FOUND', detail: 'There is no warehouse main.' }),
    );
    expect(() => decideReceipt(target({ itemExists: false, level: null }), cmd)).toThrow(DomainError);
  });
});
