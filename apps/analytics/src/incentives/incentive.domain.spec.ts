import Big from 'big.js';
import { DomainError } from '@crm/domain';
import type { KpiRow } from '../reporting/kpi-rows';
import { bandOf, checkPlanTerms, commissionOf, decidePlanWrite, earnedIncentives, toCents, type CommissionBand, type PlanTerms } from './incentive.domain';

// 0 % below 80 % of quota, 5 % from 80 % to 100 %, 8 % above.
const BANDS: CommissionBand[] = [
  { from: '0', to: '0.8', rate: '0' },
  { from: '0.8', to: '1', rate: '0.05' },
  { from: '1', to: null, rate: '0.08' },
];
const marginal = { method: 'marginal' as const, bands: BANDS };
const whole = { method: 'whole' as const, bands: BANDS };
const b = (v: string) => new Big(v);

function row(key: string, kpis: Partial<KpiRow>): KpiRow {
  return {
    key,
    repId: key,
    name: `Rep ${key}`,
    team: 'alpha',
    currency: 'EUR',
    revenue: '0.00',
    previousRevenue: '0.00',
    growthRate: null,
    paid: '0.00',
    quota: null,
    attainment: null,
    won: 0,
    lost: 0,
    winRate: null,
    averageDealSize: null,
    leadsCaptured: 0,
    leadsConverted: 0,
    leadsDisqualified: 0,
    leadConversionRate: null,
    leadsAnswered: 0,
    averageResponseHours: null,
    feedbackCount: 0,
    satisfaction: null,
    complaints: 0,
    ...kpis,
  };
}

const fieldsOf = (terms: PlanTerms): string[] => {
  try {
    checkPlanTerms(terms);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return ((err as DomainError).fields ?? []).map((f) => `${f.field}:${f.constraint}`);
  }
};

describe('plan validation', () => {
  const terms = (bands: CommissionBand[], bonuses: PlanTerms['bonuses'] = []): PlanTerms => ({
    currency: 'EUR',
    commission: { method: 'marginal', bands },
    bonuses,
  });

  it('accepts contiguous bands from 0 with an open last band', () => {
    expect(fieldsOf(terms(BANDS, [{ metric: 'revenue', top: 1, amount: '500.00' }]))).toEqual([]);
    expect(fieldsOf(terms([{ from: '0', to: null, rate: '1' }]))).toEqual([]);
  });

  it('refuses a gap, an overlap, a late start, an empty band, a closed last band and an open middle one, each with its field', () => {
    expect(fieldsOf(terms([{ from: '0.1', to: null, rate: '0.1' }]))).toEqual(['commission.bands[0].from:bandsStartAtZero']);
    expect(
      fieldsOf(
        terms([
          { from: '0', to: '0.8', rate: '0' },
          { from: '0.9', to: null, rate: '0.05' },
        ]),
      ),
    ).toEqual(['commission.bands[1].from:bandsContiguous']);
    expect(
      fieldsOf(
        terms([
          { from: '0', to: '1', rate: '0' },
          { from: '0.5', to: null, rate: '0.05' },
        ]),
      ),
    ).toEqual(['commission.bands[1].from:bandsContiguous']);
    expect(
      fieldsOf(
        terms([
          { from: '0', to: '0', rate: '0' },
          { from: '0', to: null, rate: '0.05' },
        ]),
      ),
    ).toEqual(['commission.bands[0].to:bandNotEmpty']);
    expect(fieldsOf(terms([{ from: '0', to: '2', rate: '0.05' }]))).toEqual(['commission.bands[0].to:lastBandOpen']);
    expect(
      fieldsOf(
        terms([
          { from: '0', to: null, rate: '0' },
          { from: '1', to: null, rate: '0.05' },
        ]),
      ),
    ).toEqual(['commission.bands[0].to:onlyLastBandOpen']);
  });

  it('refuses rates outside 0..1, malformed edges and bonuses that are not whole positive cents', () => {
    expect(
      fieldsOf(
        terms(
          [
            { from: '0', to: 'x', rate: '1.5' },
            { from: 'x', to: '200', rate: '-0.1' },
            { from: '0', to: null, rate: '0.12345' },
          ],
          [
            { metric: 'winRate', top: 3, amount: '0' },
            { metric: 'revenue', top: 1, amount: '10.005' },
          ],
        ),
      ),
    ).toEqual([
      'commission.bands[0].to:isAttainment',
      'commission.bands[0].rate:isRate',
      'commission.bands[1].from:isAttainment',
      'commission.bands[1].to:isAttainment',
      'commission.bands[1].rate:isRate',
      'commission.bands[2].rate:isRate',
      'bonuses[0].amount:isCents',
      'bonuses[1].amount:isCents',
    ]);
  });
});

describe('replacing a plan', () => {
  it('creates without a version, replaces only at the current version', () => {
    expect(decidePlanWrite(undefined, undefined, 'k')).toBe('insert');
    expect(decidePlanWrite({ version: 2 }, 2, 'k')).toBe('update');
    expect(() => decidePlanWrite({ version: 2 }, undefined, 'k')).toThrow(expect.objectContaining({ kind: 'conflict', code: 'PLAN_EXISTS' }));
    expect(() => decidePlanWrite({ version: 3 }, 2, 'k')).toThrow(expect.objectContaining({ kind: 'stale' }));
    expect(() => decidePlanWrite(undefined, 1, 'k')).toThrow(expect.objectContaining({ kind: 'stale' }));
  });
});

describe('commission', () => {
  it('places an attainment exactly on an edge in the band that starts there, comparing exactly, not the rounded ratio', () => {
    expect(bandOf(b('800'), b('1000'), BANDS)).toBe(1);
    expect(bandOf(b('799.99'), b('1000'), BANDS)).toBe(0);
    expect(bandOf(b('1000'), b('1000'), BANDS)).toBe(2);
    // 0.99995 shows as 1.0000 (4 places) but has not reached 100 %.
    expect(bandOf(b('19999'), b('20000'), BANDS)).toBe(1);
    expect(bandOf(b('-5'), b('1000'), BANDS)).toBeNull();
  });

  it('marginal: each rate on the revenue inside its band', () => {
    // 1200 of 1000: 800 × 0 + 200 × 0.05 + 200 × 0.08 = 26
    expect(commissionOf(b('1200'), b('1000'), marginal).toString()).toBe('26');
    expect(commissionOf(b('800'), b('1000'), marginal).toString()).toBe('0');
    expect(commissionOf(b('1000'), b('1000'), marginal).toString()).toBe('10');
  });

  it('whole: the reached band’s rate on all revenue', () => {
    expect(commissionOf(b('1200'), b('1000'), whole).toString()).toBe('96');
    expect(commissionOf(b('999.99'), b('1000'), whole).toString()).toBe('49.9995');
    expect(commissionOf(b('799.99'), b('1000'), whole).toString()).toBe('0');
  });

  it('pays nothing without a quota or without positive revenue', () => {
    expect(commissionOf(b('5000'), null, marginal).toString()).toBe('0');
    expect(commissionOf(b('-300'), b('1000'), whole).toString()).toBe('0');
  });

  it('rounds half up to the cent, once, with no float on the way', () => {
    expect(toCents(b('49.9995'))).toBe('50.00');
    expect(toCents(b('0.005'))).toBe('0.01');
    expect(toCents(b('0.0049'))).toBe('0.00');
    expect(toCents(b('1.115'))).toBe('1.12'); // 1.115 is 1.1149999… as a float
    // 1000.10 × 0.0333: 33.30333 → 33.30
    expect(toCents(commissionOf(b('1000.10'), b('1'), { method: 'whole', bands: [{ from: '0', to: null, rate: '0.0333' }] }))).toBe('33.30');
  });
});

describe('earned incentives', () => {
  const plan: PlanTerms & { team: string } = {
    team: 'alpha',
    currency: 'EUR',
    commission: marginal,
    bonuses: [
      { metric: 'revenue', top: 2, amount: '300.00' },
      { metric: 'leadConversion', top: 1, amount: '100.50' },
    ],
  };
  const rows = [
    row('a', { revenue: '1200.00', quota: '1000.00', attainment: '1.2000', leadConversionRate: '0.5000' }),
    row('b', { revenue: '900.00', quota: '1000.00', attainment: '0.9000', leadConversionRate: '0.5000' }),
    row('c', { revenue: '900.00', quota: null, leadConversionRate: '0.2500' }),
    row('d', { revenue: '100.00', quota: '1000.00', attainment: '0.1000', leadConversionRate: null }),
    row('unassigned', { revenue: '5000.00' }),
  ];
  const byRep = Object.fromEntries(earnedIncentives(plan, rows).map((r) => [r.repId, r]));

  it('gives a top-N bonus to every rep ranked N or better: ties at the cut share it', () => {
    // revenue: a 1, b 2, c 2 (tie), d 4 → a, b and c earn the top-2 bonus
    expect(['a', 'b', 'c', 'd'].map((k) => byRep[k].bonuses[0].rank)).toEqual([1, 2, 2, 4]);
    expect(['a', 'b', 'c', 'd'].map((k) => byRep[k].bonuses[0].earned)).toEqual(['300.00', '300.00', '300.00', '0.00']);
    // lead conversion: a and b tie for 1st, d has no rate and is unranked
    expect(['a', 'b', 'c', 'd'].map((k) => [byRep[k].bonuses[1].rank, byRep[k].bonuses[1].earned])).toEqual([
      [1, '100.50'],
      [1, '100.50'],
      [3, '0.00'],
      [null, '0.00'],
    ]);
  });

  it('adds commission and bonuses to the cent, and leaves the unassigned bucket out', () => {
    expect(byRep.a).toMatchObject({ commission: '26.00', bonus: '400.50', total: '426.50', band: BANDS[2], quota: '1000.00', attainment: '1.2000' });
    // 900 of 1000: 100 × 0.05 = 5
    expect(byRep.b).toMatchObject({ commission: '5.00', bonus: '400.50', total: '405.50', band: BANDS[1] });
    expect(byRep.c).toMatchObject({ commission: '0.00', bonus: '300.00', total: '300.00', band: null });
    expect(byRep.d).toMatchObject({ commission: '0.00', bonus: '0.00', total: '0.00', band: BANDS[0] });
    expect(Object.keys(byRep).sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});
