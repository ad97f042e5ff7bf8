import { forecastCategory, weightedAmount } from '../projection/deal-value';
import { addMonths, forecastSeries, growthRate, mape, median, p90, parsePeriod, pipelineForecast, quantile, rank, ratio, winRate } from './stats.domain';

describe('quantiles', () => {
  it('interpolates linearly between order statistics (type 7)', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    // 10 values 1..10: position 0.9 × 9 = 8.1 → 9 + 0.1 × (10 − 9)
    expect(p90([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])).toBeCloseTo(9.1, 10);
    expect(quantile([7], 0.9)).toBe(7);
    expect(median([])).toBeNull();
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
  });
});

describe('mape', () => {
  it('averages absolute percentage errors and skips zero actuals', () => {
    expect(
      mape([
        { forecast: 110, actual: 100 },
        { forecast: 80, actual: 100 },
        { forecast: 5, actual: 0 },
      ]),
    ).toBeCloseTo(15, 10);
    expect(mape([{ forecast: 1, actual: 0 }])).toBeNull();
  });
});

describe('money ratios', () => {
  it('computes growth against the previous period exactly, and none from a zero base', () => {
    expect(growthRate('1500.00', '1200.00')).toBe('0.2500');
    expect(growthRate('900', '1200')).toBe('-0.2500');
    expect(growthRate('100', '-50')).toBe('3.0000');
    expect(growthRate('100', '0')).toBeNull();
    expect(ratio('2', '3')).toBe('0.6667');
  });

  it('weights a deal by its probability to 4 places, half-even', () => {
    expect(weightedAmount('1000.10', 0.35)).toBe('350.035');
    expect(weightedAmount('0.0001', 0.5)).toBe('0.00'); // 0.00005 → half-even → 0.0000
    expect(() => weightedAmount('1', 1.2)).toThrow(RangeError);
  });

  it('computes a win rate from closed deals only', () => {
    expect(winRate(3, 1)).toBe('0.7500');
    expect(winRate(0, 0)).toBeNull();
  });
});

describe('rank', () => {
  it('ranks highest first with ties sharing a rank, rows without a value last', () => {
    const rows = [
      { id: 'a', v: 10 },
      { id: 'b', v: 30 },
      { id: 'c', v: null },
      { id: 'd', v: 30 },
      { id: 'e', v: 5 },
    ];
    expect(rank(rows, (r) => r.v).map((r) => [r.id, r.rank])).toEqual([
      ['b', 1],
      ['d', 1],
      ['a', 3],
      ['e', 4],
      ['c', null],
    ]);
    expect(rank(rows, (r) => r.v, 'asc').map((r) => r.id)).toEqual(['e', 'a', 'b', 'd', 'c']);
  });
});

describe('periods', () => {
  it('parses months, quarters and years with the period before', () => {
    expect(parsePeriod('2026-Q3')).toEqual({ label: '2026-Q3', kind: 'quarter', start: '2026-07-01', end: '2026-10-01', previous: '2026-Q2' });
    expect(parsePeriod('2026-Q1').previous).toBe('2025-Q4');
    expect(parsePeriod('2026-01')).toMatchObject({ start: '2026-01-01', end: '2026-02-01', previous: '2025-12' });
    expect(parsePeriod('2026-12')).toMatchObject({ end: '2027-01-01', previous: '2026-11' });
    expect(parsePeriod('2025')).toMatchObject({ start: '2025-01-01', end: '2026-01-01', previous: '2024' });
    expect(() => parsePeriod('2026-Q5')).toThrow(RangeError);
    expect(addMonths('2025-11-17', 3)).toBe('2026-02-01');
  });
});

describe('pipeline forecast', () => {
  it('classifies deals: commit from 0.8 or a contract stage, best case from 0.5', () => {
    expect(forecastCategory('negotiation', 0.8)).toBe('commit');
    expect(forecastCategory('contract', 0.6)).toBe('commit');
    expect(forecastCategory('proposal', 0.5)).toBe('best_case');
    expect(forecastCategory('proposal', 0.49)).toBe('pipeline');
  });

  it('sums commit and best case unweighted and the pipeline weighted, slipped deals in the first month', () => {
    const months = ['2026-01-01', '2026-02-01', '2026-03-01'];
    const out = pipelineForecast(
      [
        { closeMonth: '2025-11-01', category: 'pipeline', amount: '100.00', weighted: '10.00' },
        { closeMonth: '2026-01-01', category: 'commit', amount: '1000.00', weighted: '900.00' },
        { closeMonth: '2026-02-01', category: 'best_case', amount: '500.50', weighted: '300.30' },
        { closeMonth: '2026-02-01', category: 'commit', amount: '200.00', weighted: '160.00' },
        { closeMonth: '2026-07-01', category: 'commit', amount: '999.00', weighted: '999.00' },
      ],
      months,
    );
    expect(out).toEqual([
      { month: '2026-01-01', commit: '1000.00', bestCase: '1000.00', pipeline: '910.00' },
      { month: '2026-02-01', commit: '200.00', bestCase: '700.50', pipeline: '460.30' },
      { month: '2026-03-01', commit: '0.00', bestCase: '0.00', pipeline: '0.00' },
    ]);
  });
});

describe('time-series forecast', () => {
  // 36 months of a known truth: level 1000, +15 per month, a yearly cycle of ±200, and a little noise.
  const truth = (t: number) => 1000 + 15 * t + 200 * Math.sin((2 * Math.PI * t) / 12) + 60 * Math.cos((2 * Math.PI * t) / 6);
  const noise = (t: number) => 25 * Math.sin(t * 12.9898) * Math.cos(t * 78.233); // deterministic, |noise| ≤ 25

  it('Holt-Winters forecasts the next 3 months of a trend + seasonal series within 10 % of the truth', () => {
    const history = Array.from({ length: 36 }, (_, t) => truth(t) + noise(t));
    const result = forecastSeries(history, 3);
    expect(result.method).toBe('holt_winters_additive');
    result.forecast.forEach((f, i) => {
      const actual = truth(36 + i);
      expect(Math.abs(f - actual) / actual).toBeLessThan(0.1);
    });
    // The interval brackets the forecast and widens with the horizon.
    result.forecast.forEach((f, i) => expect(result.lower[i]).toBeLessThan(f));
    expect(result.upper[2] - result.lower[2]).toBeGreaterThan(result.upper[0] - result.lower[0]);
  });

  it('tracks seasonality that a trend-only model would miss', () => {
    const history = Array.from({ length: 36 }, (_, t) => truth(t));
    const hw = forecastSeries(history, 12);
    const errors = hw.forecast.map((f, i) => Math.abs(f - truth(36 + i)) / truth(36 + i));
    expect(Math.max(...errors)).toBeLessThan(0.05);
  });

  it('falls back to Holt linear with fewer than two seasons, and to the last value with one point', () => {
    const linear = forecastSeries([100, 110, 120, 130, 140], 2);
    expect(linear.method).toBe('holt_linear');
    expect(linear.forecast[0]).toBeCloseTo(150, 6);
    expect(linear.forecast[1]).toBeCloseTo(160, 6);
    expect(forecastSeries([42], 2)).toMatchObject({ method: 'naive', forecast: [42, 42] });
    expect(forecastSeries([], 2)).toMatchObject({ method: 'none', forecast: [] });
  });
});
