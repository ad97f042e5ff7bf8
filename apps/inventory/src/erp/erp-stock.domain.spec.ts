import { decideErpStockEvent, decideErpSync, type ErpStockCommand } from './erp-stock.domain';

const now = new Date('2026-12-03T08:00:00Z');
const level = (onHand: number, extra: Partial<{ sku: string; warehouseId: string; reorderPoint: number; lowAlerted: boolean }> = {}) => ({
  sku: 'CHAIR-1',
  warehouseId: 'main',
  onHand,
  reorderPoint: 5,
  lowAlerted: false,
  ...extra,
});
const push = (type: 'receipt' | 'adjustment', quantity: number): ErpStockCommand => ({
  eventId: 'erp-1',
  type,
  sku: 'CHAIR-1',
  warehouseId: 'main',
  quantity,
  now,
});

describe('decideErpStockEvent', () => {
  it('books a receipt: level up, an ERP ledger row and stock.received', () => {
    const { changes, events } = decideErpStockEvent({ version: 0, level: level(10) }, push('receipt', 4));
    expect(changes.levels).toEqual([{ sku: 'CHAIR-1', warehouseId: 'main', onHand: 14, lowAlerted: false }]);
    expect(changes.movements).toEqual([{ sku: 'CHAIR-1', warehouseId: 'main', delta: 4, reason: 'receipt', note: 'ERP event erp-1', by: 'erp' }]);
    expect(events.map((e) => e.type)).toEqual(['crm.stock.received']);
    expect(events[0].data).toMatchObject({ quantity: 4, onHand: 14, at: now.toISOString() });
  });

  it('takes an adjustment down without stock.received, raising stock.low when it crosses the reorder point', () => {
    const { changes, events } = decideErpStockEvent({ version: 0, level: level(8) }, push('adjustment', -4));
    expect(changes).toMatchObject({ levels: [{ onHand: 4, lowAlerted: true }], lowAlerts: 1 });
    expect(events.map((e) => e.type)).toEqual(['crm.stock.low']);
  });

  it('refuses a receipt of less than one unit as an invalid quantity', () => {
    expect(() => decideErpStockEvent({ version: 0, level: level(8) }, push('receipt', -1))).toThrow(
      expect.objectContaining({ kind: 'invalid', fields: [expect.objectContaining({ field: 'quantity', constraint: 'min' })] }),
    );
  });

  it('never stores a negative level, and refuses an unknown SKU', () => {
    expect(() => decideErpStockEvent({ version: 0, level: level(3) }, push('adjustment', -4))).toThrow(expect.objectContaining({ code: 'NEGATIVE_STOCK' }));
    expect(() => decideErpStockEvent({ version: 0, level: null }, push('receipt', 1))).toThrow(expect.objectContaining({ code: 'ITEM_NOT_FOUND' }));
  });
});

describe('decideErpSync', () => {
  it("takes the ERP's quantity for changed rows only, with an erp_sync ledger row each", () => {
    const rows = [level(10), level(7, { warehouseId: 'east' }), level(2, { sku: 'DESK-1' })];
    const latest = [
      { sku: 'CHAIR-1', warehouseId: 'main', onHand: 12 },
      { sku: 'CHAIR-1', warehouseId: 'east', onHand: 7 },
    ];
    const { changes, events } = decideErpSync(rows, latest, 'acme', now);
    expect(changes.levels).toEqual([{ sku: 'CHAIR-1', warehouseId: 'main', onHand: 12, lowAlerted: false }]);
    expect(changes.movements).toEqual([{ sku: 'CHAIR-1', warehouseId: 'main', delta: 2, reason: 'erp_sync', note: 'ERP acme sync', by: 'system' }]);
    expect(events).toEqual([]);
  });

  it('raises stock.low once for a row the sync takes to its reorder point', () => {
    const { changes, events } = decideErpSync([level(10)], [{ sku: 'CHAIR-1', warehouseId: 'main', onHand: 5 }], 'acme', now);
    expect(changes.lowAlerts).toBe(1);
    expect(events.map((e) => e.type)).toEqual(['crm.stock.low']);
    expect(decideErpSync([level(4, { lowAlerted: true })], [{ sku: 'CHAIR-1', warehouseId: 'main', onHand: 3 }], 'acme', now).events).toEqual([]);
  });
});
