import { decideDeduction, decideRelease, decideServeWaiting, levelsForWaiting, type OrderStock } from './allocation.domain';
import { decideErpRefusal, decideErpServeWaiting, erpServeKey, erpServeRequest } from './erp-allocation.domain';
import type { StockLevel } from './stock-level.domain';

const now = new Date('2026-12-03T08:00:00.000Z');
const ORDER = '6f1c1d2e-0000-4000-8000-000000000002';
const CONFIRMED = '6f1c1d2e-0000-4000-8000-0000000000c1';
const level = (sku: string, warehouseId: string, onHand: number): StockLevel => ({ sku, warehouseId, onHand, reorderPoint: 0, lowAlerted: false });
const waiting = (over: Partial<OrderStock> = {}): OrderStock => ({
  version: 0,
  orderId: ORDER,
  allocation: null,
  backorder: { lines: [{ sku: 'A', quantity: 3 }], eventId: CONFIRMED, by: 'rep-1', erpAttempts: 0 },
  warehouses: ['erp-main'],
  levels: [level('A', 'erp-main', 5)],
  ...over,
});
const types = (events: { type: string }[]) => events.map((e) => e.type);

describe('erpServeKey', () => {
  it('is a UUID, the same for the same attempt and new for the next one', () => {
    expect(erpServeKey(CONFIRMED, 1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(erpServeKey(CONFIRMED, 1)).toBe(erpServeKey(CONFIRMED, 1));
    expect(erpServeKey(CONFIRMED, 2)).not.toBe(erpServeKey(CONFIRMED, 1));
    expect(erpServeKey(CONFIRMED, 1)).not.toBe(CONFIRMED);
  });
});

describe('erpServeRequest (is the waiting order worth asking the ERP for?)', () => {
  it('asks when the mirror has every line in one warehouse, keyed by the next attempt', () => {
    expect(erpServeRequest(waiting())).toEqual({ lines: [{ sku: 'A', quantity: 3 }], idempotencyKey: erpServeKey(CONFIRMED, 1) });
    const after2 = waiting({ backorder: { ...waiting().backorder!, erpAttempts: 2 } });
    expect(erpServeRequest(after2)?.idempotencyKey).toBe(erpServeKey(CONFIRMED, 3));
  });

  it('does not ask while the mirror is short, for an order not waiting, or one deducted already', () => {
    expect(erpServeRequest(waiting({ levels: [level('A', 'erp-main', 2)] }))).toBeNull();
    expect(erpServeRequest(waiting({ backorder: null }))).toBeNull();
    expect(erpServeRequest(waiting({ allocation: { warehouseId: 'erp-main', lines: [{ sku: 'A', quantity: 3 }], status: 'deducted' } }))).toBeNull();
  });
});

describe('decideErpServeWaiting', () => {
  it('serves the order the ERP deducted: mirror, ledger, allocation, stock.deducted, out of the queue', () => {
    const { changes, events } = decideErpServeWaiting(waiting(), { outcome: 'deducted', warehouseId: 'erp-main' }, now);
    expect(changes.result).toEqual({ outcome: 'deducted', warehouseId: 'erp-main', lines: [{ sku: 'A', quantity: 3 }] });
    expect(changes.levels).toEqual([expect.objectContaining({ sku: 'A', warehouseId: 'erp-main', onHand: 2 })]);
    expect(changes.allocate).toEqual({ warehouseId: 'erp-main', lines: [{ sku: 'A', quantity: 3 }], eventId: CONFIRMED });
    expect(changes.stopWaiting).toBe(true);
    expect(types(events)).toEqual(['crm.stock.deducted']);
  });

  it('keeps a still-short order waiting, counts the attempt and announces nothing', () => {
    const shortages = [{ sku: 'A', requested: 3, available: 1 }];
    const { changes, events } = decideErpServeWaiting(waiting(), { outcome: 'insufficient', shortages }, now);
    expect(changes).toMatchObject({ result: { outcome: 'insufficient', shortages }, erpAttempted: true, levels: [], movements: [] });
    expect(changes.stopWaiting).toBeUndefined();
    expect(events).toEqual([]);
  });
});

describe('decideErpRefusal', () => {
  const cmd = { orderId: ORDER, eventId: CONFIRMED, by: 'rep-1', now };

  it('deducts nothing, stops waiting and publishes stock.deduction_refused with the ERP reason', () => {
    const { changes, events } = decideErpRefusal(waiting(), cmd, { erpStatus: 422, reason: 'unknown customer' });
    expect(changes).toMatchObject({ result: { outcome: 'refused', erpStatus: 422 }, levels: [], movements: [], stopWaiting: true });
    expect(changes.allocate).toBeUndefined();
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['crm.stock.deduction_refused', { orderId: ORDER, erpStatus: 422, reason: 'unknown customer', at: now.toISOString() }],
    ]);
  });

  it('changes nothing for an order deducted already', () => {
    const deducted = waiting({ allocation: { warehouseId: 'erp-main', lines: [{ sku: 'A', quantity: 3 }], status: 'deducted' } });
    expect(decideErpRefusal(deducted, cmd, { erpStatus: 400, reason: 'x' })).toEqual({
      changes: expect.objectContaining({ result: { outcome: 'already_allocated' } }),
      events: [],
    });
  });
});

describe('compensation and retry (ADR 0013)', () => {
  const deducted = { warehouseId: 'main', lines: [{ sku: 'A', quantity: 3 }], status: 'deducted' as const };
  const cmd = { orderId: ORDER, eventId: CONFIRMED, by: 'system', now };

  it('a compensation puts the stock back as `compensated`, not `released`', () => {
    const { changes, events } = decideRelease(waiting({ allocation: deducted, backorder: null, warehouses: ['main'], levels: [level('A', 'main', 2)] }), {
      ...cmd,
      compensate: true,
    });
    expect(changes.markCompensated).toBe(true);
    expect(changes.markReleased).toBeUndefined();
    expect(changes.levels).toEqual([expect.objectContaining({ sku: 'A', onHand: 5 })]);
    expect(types(events)).toEqual(['crm.stock.released']);
  });

  it('only a retry (redo) deducts a compensated order again; a cancelled (released) one never', () => {
    const base = { backorder: null, warehouses: ['main'], levels: [level('A', 'main', 5)] };
    const lines = [{ sku: 'A', quantity: 3 }];
    const compensated = waiting({ ...base, allocation: { ...deducted, status: 'compensated' } });
    expect(decideDeduction(compensated, { ...cmd, lines, onShortage: 'answer' }).changes.result).toEqual({ outcome: 'already_allocated' });
    expect(decideDeduction(compensated, { ...cmd, lines, onShortage: 'answer', redo: true }).changes.result).toMatchObject({ outcome: 'deducted' });
    const released = waiting({ ...base, allocation: { ...deducted, status: 'released' } });
    expect(decideDeduction(released, { ...cmd, lines, onShortage: 'answer', redo: true }).changes.result).toEqual({ outcome: 'already_allocated' });
  });

  it('a compensated order that waits again after a retry is served from the queue', () => {
    const again = waiting({ allocation: { ...deducted, status: 'compensated' }, warehouses: ['main'], levels: [level('A', 'main', 3)] });
    expect(levelsForWaiting(again)).toEqual({ skus: ['A'] });
    expect(decideServeWaiting(again, now).changes.result).toMatchObject({ outcome: 'deducted', warehouseId: 'main' });
  });
});
