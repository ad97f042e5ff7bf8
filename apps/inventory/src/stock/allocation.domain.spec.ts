import { allocateOrder, lowStockTransition, sumLinesBySku, type WarehouseStock } from './allocation.domain';

const wh = (warehouseId: string, stock: Record<string, number>): WarehouseStock => ({ warehouseId, onHand: new Map(Object.entries(stock)) });

describe('sumLinesBySku', () => {
  it('sums lines of the same SKU and orders them by SKU', () => {
    expect(
      sumLinesBySku([
        { sku: 'B', quantity: 2 },
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 3 },
      ]),
    ).toEqual([
      { sku: 'A', quantity: 1 },
      { sku: 'B', quantity: 5 },
    ]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses quantity %p', (quantity) => {
    expect(() => sumLinesBySku([{ sku: 'A', quantity }])).toThrow(RangeError);
  });
});

describe('allocateOrder', () => {
  it('serves the order from the first warehouse by priority that covers every line', () => {
    const decision = allocateOrder(
      [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
      [wh('main', { A: 5 }), wh('east', { A: 1, B: 9 }), wh('west', { A: 2, B: 1 }), wh('north', { A: 9, B: 9 })],
    );
    expect(decision).toEqual({
      kind: 'allocated',
      warehouseId: 'west',
      lines: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
    });
  });

  it('prefers the primary warehouse when it can serve, even if another has more', () => {
    expect(allocateOrder([{ sku: 'A', quantity: 3 }], [wh('main', { A: 3 }), wh('east', { A: 100 })])).toMatchObject({ warehouseId: 'main' });
  });

  it('never splits an order across warehouses: all lines or nothing', () => {
    // A is only in main, B only in east: each line could be served somewhere, the order nowhere.
    const decision = allocateOrder(
      [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
      ],
      [wh('main', { A: 1 }), wh('east', { B: 1 })],
    );
    expect(decision).toEqual({ kind: 'insufficient', shortages: [{ sku: 'B', requested: 1, available: 0 }] });
  });

  it('lists only the short lines, with what the primary warehouse has', () => {
    const decision = allocateOrder(
      [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 5 },
        { sku: 'C', quantity: 1 },
      ],
      [wh('main', { A: 10, B: 3 }), wh('east', { B: 4 })],
    );
    expect(decision).toEqual({
      kind: 'insufficient',
      shortages: [
        { sku: 'B', requested: 5, available: 3 },
        { sku: 'C', requested: 1, available: 0 },
      ],
    });
  });

  it('sums duplicate SKUs before deciding, so two lines cannot each pass on the same stock', () => {
    const lines = [
      { sku: 'A', quantity: 3 },
      { sku: 'A', quantity: 3 },
    ];
    expect(allocateOrder(lines, [wh('main', { A: 5 })])).toEqual({ kind: 'insufficient', shortages: [{ sku: 'A', requested: 6, available: 5 }] });
    expect(allocateOrder(lines, [wh('main', { A: 6 })])).toEqual({ kind: 'allocated', warehouseId: 'main', lines: [{ sku: 'A', quantity: 6 }] });
  });

  it('treats an unknown SKU as a shortage with nothing available', () => {
    expect(allocateOrder([{ sku: 'NOPE', quantity: 1 }], [wh('main', {})])).toEqual({
      kind: 'insufficient',
      shortages: [{ sku: 'NOPE', requested: 1, available: 0 }],
    });
  });

  it('with no warehouse at all, every line is short', () => {
    expect(allocateOrder([{ sku: 'A', quantity: 1 }], [])).toEqual({ kind: 'insufficient', shortages: [{ sku: 'A', requested: 1, available: 0 }] });
  });

  it('never allocates more than is on hand (no resulting level is negative), whatever the input', () => {
    // A deterministic pseudo-random sweep: a bounded property check without a library.
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 2_000; i++) {
      const warehouses = ['w1', 'w2', 'w3'].slice(0, rnd(4)).map((id) => wh(id, { A: rnd(6), B: rnd(6), C: rnd(3) - 1 }));
      const lines = Array.from({ length: 1 + rnd(4) }, () => ({ sku: ['A', 'B', 'C'][rnd(3)], quantity: 1 + rnd(4) }));
      const decision = allocateOrder(lines, warehouses);
      if (decision.kind === 'allocated') {
        const stock = warehouses.find((w) => w.warehouseId === decision.warehouseId)!;
        for (const l of decision.lines) expect((stock.onHand.get(l.sku) ?? 0) - l.quantity).toBeGreaterThanOrEqual(0);
        expect(decision.lines.reduce((n, l) => n + l.quantity, 0)).toBe(lines.reduce((n, l) => n + l.quantity, 0));
      } else {
        expect(decision.shortages.length).toBeGreaterThan(0);
        for (const s of decision.shortages) {
          expect(s.available).toBeGreaterThanOrEqual(0);
          expect(s.available).toBeLessThan(s.requested);
        }
      }
    }
  });
});

describe('lowStockTransition', () => {
  it('alerts once when the level reaches the reorder point', () => {
    expect(lowStockTransition({ onHand: 5, reorderPoint: 5, lowAlerted: false })).toEqual({ lowAlerted: true, alert: true });
  });

  it('does not alert again while the level stays low', () => {
    expect(lowStockTransition({ onHand: 2, reorderPoint: 5, lowAlerted: true })).toEqual({ lowAlerted: true, alert: false });
  });

  it('re-arms once the level is above the reorder point', () => {
    expect(lowStockTransition({ onHand: 6, reorderPoint: 5, lowAlerted: true })).toEqual({ lowAlerted: false, alert: false });
  });

  it('stays quiet above the reorder point', () => {
    expect(lowStockTransition({ onHand: 9, reorderPoint: 5, lowAlerted: false })).toEqual({ lowAlerted: false, alert: false });
  });
});
