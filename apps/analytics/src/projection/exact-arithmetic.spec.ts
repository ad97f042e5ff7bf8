import Big from 'big.js';
import { AMOUNT_SCALE, formatAmount, parseAmount } from '@crm/money';
import type { AggregateTable, Contribution } from './aggregates';
import { diffContributions, productLineShares } from './projection.domain';
import { allocateProRata } from './pro-rata';

/*
 * The projector's money arithmetic runs on scaled BigInt; these are the big.js versions it replaced, kept as the
 * oracle: on many generated inputs both must give the same strings, pro-rata remainders included.
 */
function allocateBig(amount: string, weights: readonly string[]): string[] {
  const unit = new Big(10).pow(AMOUNT_SCALE);
  const total = parseAmount(amount).times(unit);
  const ws = weights.map((w) => parseAmount(w));
  const wSum = ws.reduce((a, w) => a.plus(w), new Big(0));
  if (wSum.eq(0)) return weights.map((_, i) => formatAmount(i === 0 ? parseAmount(amount) : new Big(0)));
  const sign = total.lt(0) ? -1 : 1;
  const abs = total.abs();
  const exact = ws.map((w) => abs.times(w).div(wSum));
  const floors = exact.map((e) => e.round(0, Big.roundDown));
  let left = abs.minus(floors.reduce((a, f) => a.plus(f), new Big(0))).toNumber();
  const order = exact.map((e, i) => ({ i, frac: e.minus(floors[i]) })).sort((a, b) => b.frac.cmp(a.frac) || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = floors[i].plus(1);
    left--;
  }
  return floors.map((f) => formatAmount(f.times(sign).div(unit)));
}

function diffBig(before: readonly Contribution[], after: readonly Contribution[]): Contribution[] {
  const rows = new Map<string, { t: AggregateTable; k: string[]; m: Map<string, Big> }>();
  const add = (list: readonly Contribution[], sign: 1 | -1) => {
    for (const c of list) {
      const id = `${c.t}\u0000${c.k.join('\u0000')}`;
      let row = rows.get(id);
      if (!row) rows.set(id, (row = { t: c.t, k: c.k, m: new Map() }));
      for (const [name, value] of Object.entries(c.m)) row.m.set(name, (row.m.get(name) ?? new Big(0)).plus(new Big(value).times(sign)));
    }
  };
  add(before, -1);
  add(after, 1);
  return [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => ({ t: r.t, k: r.k, m: Object.fromEntries([...r.m].filter(([, v]) => !v.eq(0)).map(([n, v]) => [n, v.toString()])) }))
    .filter((r) => Object.keys(r.m).length > 0);
}

/** A deterministic generator (linear congruential), so a failure names inputs that come back on every run. */
function random(seed: number) {
  let x = seed;
  const int = (n: number) => (x = (x * 1103515245 + 12345) % 2147483648) % n;
  const amount = (maxDigits = 9, negative = false) => {
    const whole = String(int(10 ** (1 + int(maxDigits))));
    const digits = int(5);
    const frac = digits ? `.${String(int(10_000)).padStart(4, '0').slice(0, digits)}` : '';
    return `${negative && int(3) === 0 ? '-' : ''}${whole}${frac}`;
  };
  return { int, amount };
}

describe('allocateProRata on BigInt gives what big.js gave', () => {
  it('remainders to the largest fractions, ties to the first weight, signs and zero weights', () => {
    const cases: [string, string[]][] = [
      ['100.00', ['1', '1', '1']],
      ['-100.00', ['1', '1', '1']],
      ['0.0001', ['1', '1']],
      ['0.0002', ['3', '1', '1']],
      ['10', ['0', '0']],
      ['-7.5', ['0', '2']],
      ['0', ['1', '2']],
      ['999999999999999.9999', ['0.0001', '999999999999999.9998', '3']],
      ['1', ['3', '3', '3', '3', '3', '3', '3']],
      ['0.01', ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']],
    ];
    for (const [amount, weights] of cases) expect([amount, weights, allocateProRata(amount, weights)]).toEqual([amount, weights, allocateBig(amount, weights)]);
  });

  it('on 5,000 generated splits', () => {
    const r = random(42);
    for (let n = 0; n < 5_000; n++) {
      const amount = r.amount(12, true);
      const weights = Array.from({ length: 1 + r.int(6) }, () => (r.int(10) === 0 ? '0' : r.amount(r.int(3) === 0 ? 1 : 7)));
      const got = allocateProRata(amount, weights);
      const want = allocateBig(amount, weights);
      if (got.join() !== want.join()) expect({ amount, weights, got }).toEqual({ amount, weights, got: want });
    }
  });

  it('refuses what big.js refused', () => {
    expect(() => allocateProRata('1', [])).toThrow(RangeError);
    expect(() => allocateProRata('1.23456', ['1'])).toThrow('not a decimal amount');
    expect(() => allocateProRata('1', ['x'])).toThrow('not a decimal amount');
  });
});

describe('diffContributions on BigInt gives what big.js gave', () => {
  it('on 1,000 generated pairs of contribution lists', () => {
    const r = random(7);
    const tables: AggregateTable[] = ['sales_daily', 'leads_daily', 'funnel_daily'];
    const list = () =>
      Array.from({ length: r.int(6) }, () => ({
        t: tables[r.int(3)],
        k: [`2026-01-0${1 + r.int(3)}`, ['EUR', 'CNY'][r.int(2)]],
        m: Object.fromEntries(['a', 'b', 'c'].filter(() => r.int(2) === 0).map((n) => [n, r.int(4) === 0 ? String(r.int(5)) : r.amount(8, true)])),
      }));
    for (let n = 0; n < 1_000; n++) {
      const [before, after] = [list(), list()];
      expect(diffContributions(before, after)).toEqual(diffBig(before, after));
      // A fact re-projected unchanged moves nothing; its own difference undoes it.
      expect(diffContributions(after, after)).toEqual([]);
    }
  });

  it('cancels exactly where floats would not, and prints as big.js does', () => {
    const c = (m: Record<string, string>): Contribution => ({ t: 'sales_daily', k: ['2026-01-01'], m });
    expect(diffContributions([c({ a: '0.3' })], [c({ a: '0.1' }), c({ a: '0.2' })])).toEqual([]);
    expect(diffContributions([c({ a: '12.50', b: '1' })], [c({ a: '0.0001', b: '1' })])).toEqual([c({ a: '-12.4999' })]);
    expect(diffContributions([], [c({ a: '1250.0000' })])).toEqual([c({ a: '1250' })]);
  });
});

describe('productLineShares', () => {
  it('sums each product line exactly and picks the largest, ties to the first by name', () => {
    const lines = [
      { productLine: 'b', lineTotal: '0.1' },
      { productLine: 'a', lineTotal: '0.3' },
      { productLine: 'b', lineTotal: '0.2' },
      { productLine: 'c', lineTotal: '0.0001' },
    ];
    expect(productLineShares(lines)).toEqual({
      groups: [
        { productLine: 'a', weight: '0.30' },
        { productLine: 'b', weight: '0.30' },
        { productLine: 'c', weight: '0.0001' },
      ],
      main: 0,
    });
    expect(productLineShares([...lines, { productLine: 'b', lineTotal: '0.0001' }]).main).toBe(1);
    expect(productLineShares([])).toEqual({ groups: [{ productLine: 'unknown', weight: '1' }], main: 0 });
  });
});
