import {
  alreadyDeducted,
  decideDeduction,
  decideErpDeduction,
  decideRelease,
  decideServeWaiting,
  levelsForDeduction,
  levelsForErpDeduction,
  levelsForRelease,
  levelsForWaiting,
  releasable,
  sumLinesBySku,
  type OrderStock,
} from './allocation.domain';
import type { StockLevel } from './stock-level.domain';

const now = new Date('2026-03-10T09:00:00.000Z');
const ORDER = '6f1c1d2e-0000-4000-8000-000000000001';
const EVENT = '6f1c1d2e-0000-4000-8000-0000000000e1';
const EARLIER = '6f1c1d2e-0000-4000-8000-0000000000e0';
const level = (sku: string, warehouseId: string, onHand: number, reorderPoint = 0, lowAlerted = false): StockLevel => ({
  sku,
  warehouseId,
  onHand,
  reorderPoint,
  lowAlerted,
});
const order = (over: Partial<OrderStock> = {}): OrderStock => ({
  version: 0,
  orderId: ORDER,
  allocation: null,
  backorder: null,
  warehouses: ['main', 'east'],
  levels: [],
  ...over,
});
const cmd = { orderId: ORDER, eventId: EVENT, by: 'rep-1', now };
const types = (events: { type: string }[]) => events.map((e) => e.type);

describe('decideDeduction', () => {
  it('takes every line from the first warehouse that has them: levels, ledger rows, allocation, stock.deducted', () => {
    const state = order({ levels: [level('A', 'main', 1), level('A', 'east', 5), level('B', 'east', 2)] });
    const { changes, events } = decideDeduction(state, {
      ...cmd,
      lines: [
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 2 },
      ],
      onShortage: 'answer',
    });
    expect(changes.result).toEqual({
      outcome: 'deducted',
      warehouseId: 'east',
      lines: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
    });
    expect(changes.levels).toEqual([
      { sku: 'A', warehouseId: 'east', onHand: 3, lowAlerted: false },
      { sku: 'B', warehouseId: 'east', onHand: 1, lowAlerted: false },
    ]);
    expect(changes.movements).toEqual([
      { sku: 'A', warehouseId: 'east', delta: -2, reason: 'order_deduction', orderId: ORDER, eventId: EVENT, by: 'rep-1' },
      { sku: 'B', warehouseId: 'east', delta: -1, reason: 'order_deduction', orderId: ORDER, eventId: EVENT, by: 'rep-1' },
    ]);
    expect(changes.allocate).toEqual({ warehouseId: 'east', lines: changes.result.outcome === 'deducted' ? changes.result.lines : [], eventId: EVENT });
    expect(changes.stopWaiting).toBe(true);
    expect(types(events)).toEqual(['crm.stock.deducted']);
    expect(events[0]).toMatchObject({ subject: ORDER, data: { orderId: ORDER, warehouseId: 'east', at: now.toISOString() } });
  });

  it('publishes stock.low after stock.deducted for a level that falls to its reorder point', () => {
    const { changes, events } = decideDeduction(order({ levels: [level('A', 'main', 5, 3)] }), {
      ...cmd,
      lines: [{ sku: 'A', quantity: 2 }],
      onShortage: 'answer',
    });
    expect(types(events)).toEqual(['crm.stock.deducted', 'crm.stock.low']);
    expect(events[1].data).toMatchObject({ sku: 'A', warehouseId: 'main', onHand: 3, threshold: 3 });
    expect(changes.levels).toEqual([{ sku: 'A', warehouseId: 'main', onHand: 3, lowAlerted: true }]);
    expect(changes.lowAlerts).toBe(1);
  });

  it('answers a shortage with stock.insufficient and lets the order wait, changing no level', () => {
    const { changes, events } = decideDeduction(order({ levels: [level('A', 'main', 1)] }), {
      ...cmd,
      lines: [{ sku: 'A', quantity: 2 }],
      onShortage: 'answer',
    });
    expect(changes.result).toEqual({ outcome: 'insufficient', shortages: [{ sku: 'A', requested: 2, available: 1 }] });
    expect(changes.waitFor).toEqual({ lines: [{ sku: 'A', quantity: 2 }], eventId: EVENT, by: 'rep-1' });
    expect(changes.levels).toEqual([]);
    expect(changes.movements).toEqual([]);
    expect(changes.allocate).toBeUndefined();
    expect(types(events)).toEqual(['crm.stock.insufficient']);
  });

  it('keeps a waiting order waiting quietly: no new answer, no new wait', () => {
    const { changes, events } = decideDeduction(order({ levels: [level('A', 'main', 1)] }), { ...cmd, lines: [{ sku: 'A', quantity: 2 }], onShortage: 'wait' });
    expect(changes.result.outcome).toBe('insufficient');
    expect(changes.waitFor).toBeUndefined();
    expect(events).toEqual([]);
  });

  it('changes nothing for an order deducted before, even if released since', () => {
    for (const status of ['deducted', 'released'] as const) {
      const state = order({ allocation: { warehouseId: 'main', lines: [{ sku: 'A', quantity: 1 }], status }, levels: [level('A', 'main', 9)] });
      const { changes, events } = decideDeduction(state, { ...cmd, lines: [{ sku: 'A', quantity: 1 }], onShortage: 'answer' });
      expect(changes).toMatchObject({ result: { outcome: 'already_allocated' }, levels: [], movements: [] });
      expect(changes.allocate).toBeUndefined();
      expect(events).toEqual([]);
    }
  });
});

describe('decideErpDeduction', () => {
  const lines = [
    { sku: 'A', quantity: 3 },
    { sku: 'Z', quantity: 1 },
  ];

  it('follows the ERP: mirrors the deduction (never below zero), skips SKUs the mirror lacks, still records every line', () => {
    const { changes, events } = decideErpDeduction(
      order({ levels: [level('A', 'erp-main', 2)] }),
      { ...cmd, lines },
      { outcome: 'deducted', warehouseId: 'erp-main' },
    );
    expect(changes.levels).toEqual([{ sku: 'A', warehouseId: 'erp-main', onHand: 0, lowAlerted: true }]);
    expect(changes.movements.map((m) => [m.sku, m.delta])).toEqual([
      ['A', -3],
      ['Z', -1],
    ]);
    expect(changes.result).toEqual({ outcome: 'deducted', warehouseId: 'erp-main', lines });
    expect(types(events)).toEqual(['crm.stock.deducted', 'crm.stock.low']);
  });

  it('passes on the ERP shortage and waits as a backorder, as with the built-in ledger', () => {
    const shortages = [{ sku: 'A', requested: 3, available: 1 }];
    const { changes, events } = decideErpDeduction(order(), { ...cmd, lines }, { outcome: 'insufficient', shortages });
    expect(changes.result).toEqual({ outcome: 'insufficient', shortages });
    expect(changes.waitFor).toEqual({ lines: sumLinesBySku(lines), eventId: cmd.eventId, by: cmd.by });
    expect(types(events)).toEqual(['crm.stock.insufficient']);
  });

  it('changes nothing for an order deducted before', () => {
    const state = order({ allocation: { warehouseId: 'erp-main', lines, status: 'deducted' } });
    expect(decideErpDeduction(state, { ...cmd, lines }, { outcome: 'deducted', warehouseId: 'erp-main' })).toMatchObject({
      changes: { result: { outcome: 'already_allocated' } },
      events: [],
    });
  });
});

describe('decideServeWaiting', () => {
  it('serves a waiting order with its own lines, event and author once the stock is there', () => {
    const state = order({ backorder: { lines: [{ sku: 'A', quantity: 2 }], eventId: EARLIER, by: 'rep-9' }, levels: [level('A', 'main', 5)] });
    const { changes, events } = decideServeWaiting(state, now);
    expect(changes.result).toMatchObject({ outcome: 'deducted', warehouseId: 'main' });
    expect(changes.movements).toEqual([expect.objectContaining({ eventId: EARLIER, by: 'rep-9', delta: -2 })]);
    expect(changes.stopWaiting).toBe(true);
    expect(types(events)).toEqual(['crm.stock.deducted']);
  });

  it('leaves a still-short order waiting without events, and does nothing for an order no longer waiting', () => {
    const short = order({ backorder: { lines: [{ sku: 'A', quantity: 3 }], eventId: EARLIER, by: 'rep-9' }, levels: [level('A', 'main', 2)] });
    expect(decideServeWaiting(short, now)).toMatchObject({ changes: { result: { outcome: 'insufficient' }, levels: [] }, events: [] });
    expect(decideServeWaiting(short, now).changes.stopWaiting).toBeUndefined();
    expect(decideServeWaiting(order(), now)).toMatchObject({ changes: { result: { outcome: 'not_waiting' } }, events: [] });
  });
});

describe('decideRelease', () => {
  const deducted = order({
    allocation: {
      warehouseId: 'main',
      lines: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
      status: 'deducted',
    },
    levels: [level('A', 'main', 0, 0, true)],
  });

  it('puts back exactly what was taken, records it, marks the allocation released and publishes stock.released', () => {
    const { changes, events } = decideRelease(deducted, cmd);
    expect(changes.result).toEqual({
      outcome: 'released',
      warehouseId: 'main',
      lines: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
    });
    // B has no row (an ERP mirror): not written, but the ledger still records it.
    expect(changes.levels).toEqual([{ sku: 'A', warehouseId: 'main', onHand: 2, lowAlerted: false }]);
    expect(changes.movements.map((m) => [m.sku, m.delta, m.reason])).toEqual([
      ['A', 2, 'order_release'],
      ['B', 1, 'order_release'],
    ]);
    expect(changes.markReleased).toBe(true);
    expect(changes.stopWaiting).toBe(true);
    expect(types(events)).toEqual(['crm.stock.released']);
  });

  it('only stops the wait of an order never deducted, or released already', () => {
    const waiting = order({ backorder: { lines: [{ sku: 'A', quantity: 1 }], eventId: EARLIER, by: 'x' } });
    const released = order({ allocation: { ...deducted.allocation!, status: 'released' } });
    for (const state of [waiting, released]) {
      const { changes, events } = decideRelease(state, cmd);
      expect(changes).toMatchObject({ result: { outcome: 'nothing_to_release' }, stopWaiting: true, levels: [], movements: [] });
      expect(changes.markReleased).toBeUndefined();
      expect(events).toEqual([]);
    }
  });
});

describe('what a command locks', () => {
  const allocated = order({
    allocation: {
      warehouseId: 'east',
      lines: [
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 1 },
      ],
      status: 'deducted',
    },
  });

  it('a deduction locks its SKUs in every warehouse, nothing once deducted', () => {
    expect(
      levelsForDeduction([
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 1 },
      ])(order()),
    ).toEqual({ skus: ['A', 'B'] });
    expect(levelsForDeduction([{ sku: 'A', quantity: 1 }])(allocated)).toBeNull();
    expect(alreadyDeducted(allocated)).toEqual({ outcome: 'already_allocated' });
  });

  it('an ERP deduction locks the rows of the warehouse the ERP named, adding it to the mirror; nothing for a shortage', () => {
    const lines = [{ sku: 'A', quantity: 1 }];
    expect(levelsForErpDeduction(lines, { outcome: 'deducted', warehouseId: 'w9' })(order())).toEqual({ skus: ['A'], warehouseId: 'w9', addWarehouse: true });
    expect(levelsForErpDeduction(lines, { outcome: 'insufficient', shortages: [] })(order())).toBeNull();
  });

  it('a release locks the deducted rows in their warehouse; serving a backorder locks its SKUs', () => {
    expect(levelsForRelease(allocated)).toEqual({ skus: ['A', 'B'], warehouseId: 'east' });
    expect(releasable(order())).toBeNull();
    expect(levelsForWaiting(order({ backorder: { lines: [{ sku: 'C', quantity: 1 }], eventId: EARLIER, by: 'x' } }))).toEqual({ skus: ['C'] });
    expect(levelsForWaiting(order())).toBeNull();
  });
});
