import { allocateProRata } from './pro-rata';
import {
  diffContributions,
  funnelMilestones,
  leadContributions,
  opportunityContributions,
  orderContributions,
  stageIntervals,
  type OrderFactView,
} from './projection.domain';

const dims = { region: 'north', source: 'web_form', repId: 'r1', team: 'a' };

describe('allocateProRata', () => {
  it('splits to the 4th decimal and always adds up exactly', () => {
    expect(allocateProRata('100.00', ['1', '1', '1'])).toEqual(['33.3334', '33.3333', '33.3333']);
    expect(allocateProRata('10.00', ['54.97', '200.20'])).toEqual(['2.1543', '7.8457']);
    expect(allocateProRata('-0.01', ['1', '1'])).toEqual(['-0.005', '-0.005']);
    expect(allocateProRata('5', ['0', '0'])).toEqual(['5.00', '0.00']);
  });
});

describe('diffContributions', () => {
  it('retracts what a fact contributed before and adds what it contributes now, dropping zero deltas', () => {
    const before = [{ t: 'sales_daily' as const, k: ['2025-01-01', 'EUR', 'unknown'], m: { confirmed_amount: '10.00', orders_confirmed: '1' } }];
    const after = [
      { t: 'sales_daily' as const, k: ['2025-01-01', 'EUR', 'north'], m: { confirmed_amount: '10.00', orders_confirmed: '1' } },
      { t: 'sales_daily' as const, k: ['2025-01-01', 'EUR', 'unknown'], m: { confirmed_amount: '10.00', orders_confirmed: '1' } },
    ];
    expect(diffContributions(before, after)).toEqual([
      { t: 'sales_daily', k: ['2025-01-01', 'EUR', 'north'], m: { confirmed_amount: '10', orders_confirmed: '1' } },
    ]);
    expect(diffContributions(after, after)).toEqual([]);
  });
});

describe('orderContributions', () => {
  const order: OrderFactView = {
    currency: 'EUR',
    total: '300.00',
    confirmedAt: '2025-03-01T10:00:00Z',
    shippedAt: '2025-03-05T10:00:00Z',
    cancelledAt: null,
    lines: [
      { productLine: 'pumps', lineTotal: '100.00' },
      { productLine: 'valves', lineTotal: '150.00' },
      { productLine: 'pumps', lineTotal: '50.00' },
    ],
    dims,
    payments: [{ amount: '30.00', currency: 'EUR', receivedAt: '2025-04-01T00:00:00Z' }],
    feedback: [{ rating: 4, complaint: false, receivedAt: '2025-04-10T00:00:00Z' }],
  };

  it('splits money by product line, counts the order once on its main line (ties to the first name)', () => {
    const rows = orderContributions(order);
    const confirmed = rows.filter((r) => r.m.confirmed_amount);
    expect(confirmed.map((r) => [r.k[3], r.m])).toEqual([
      ['pumps', { confirmed_amount: '150.00', orders_confirmed: '1' }],
      ['valves', { confirmed_amount: '150.00' }],
    ]);
    expect(rows.filter((r) => r.m.paid_amount).map((r) => [r.k[0], r.k[3], r.m.paid_amount])).toEqual([
      ['2025-04-01', 'pumps', '15.00'],
      ['2025-04-01', 'valves', '15.00'],
    ]);
    expect(rows.find((r) => r.t === 'feedback_daily')).toEqual({
      t: 'feedback_daily',
      k: ['2025-04-10', 'north', 'pumps', 'web_form', 'r1', 'a'],
      m: { feedback_count: '1', rating_sum: '4', complaints: '0' },
    });
  });

  it('records a cancellation on its own day only for a confirmed order; a payment before the order is known still counts', () => {
    const cancelled = orderContributions({ ...order, shippedAt: null, cancelledAt: '2025-03-02T00:00:00Z' });
    expect(cancelled.filter((r) => r.m.cancelled_amount).map((r) => r.k[0])).toEqual(['2025-03-02', '2025-03-02']);
    expect(orderContributions({ ...order, confirmedAt: null, shippedAt: null, cancelledAt: '2025-03-02T00:00:00Z', payments: [], feedback: [] })).toEqual([]);
    const early = orderContributions({
      currency: null,
      total: null,
      confirmedAt: null,
      shippedAt: null,
      cancelledAt: null,
      lines: [],
      feedback: [],
      dims: { region: 'unknown', source: 'unknown', repId: 'unknown', team: 'unknown' },
      payments: [{ amount: '12.34', currency: 'USD', receivedAt: '2025-05-01T00:00:00Z' }],
    });
    expect(early).toEqual([{ t: 'sales_daily', k: ['2025-05-01', 'USD', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown'], m: { paid_amount: '12.34' } }]);
  });
});

describe('stageIntervals', () => {
  it('replays the history in time order whatever the arrival order; won closes it, a later stage re-opens', () => {
    const intervals = stageIntervals([
      { kind: 'stage', at: '2025-01-10T00:00:00Z', stage: 'proposal', p: 0.5 },
      { kind: 'created', at: '2025-01-01T00:00:00Z', stage: 'qualification', p: 0.2 },
      { kind: 'stage', at: '2025-01-20T00:00:00Z', stage: 'negotiation', p: null },
      { kind: 'won', at: '2025-02-01T00:00:00Z' },
    ]);
    expect(intervals.map((i) => [i.stage, i.status, i.winProbability, i.validFrom.slice(0, 10), i.validTo?.slice(0, 10) ?? null])).toEqual([
      ['qualification', 'open', 0.2, '2025-01-01', '2025-01-10'],
      ['proposal', 'open', 0.5, '2025-01-10', '2025-01-20'],
      ['negotiation', 'open', 0.5, '2025-01-20', '2025-02-01'],
      ['negotiation', 'won', 1, '2025-02-01', null],
    ]);
  });
});

describe('opportunityContributions', () => {
  it('puts an open deal in the pipeline with its weighted amount and category, a won one in won on its day', () => {
    const base = {
      currency: 'EUR',
      expectedAmount: '1000.00',
      expectedCloseDate: '2025-06-15',
      createdAt: '2025-01-01T00:00:00Z',
      wonAt: null,
      wonAmount: null,
      lostAt: null,
      dims: { ...dims, productLine: 'pumps' },
    };
    const open = opportunityContributions({
      ...base,
      current: { seq: 0, stage: 'proposal', status: 'open', winProbability: 0.55, validFrom: '', validTo: null },
    });
    expect(open).toContainEqual({
      t: 'pipeline_open',
      k: ['proposal', 'EUR', '2025-06-01', 'best_case', 'north', 'pumps', 'web_form', 'r1', 'a'],
      m: { opportunities: '1', amount: '1000.00', weighted_amount: '550.00' },
    });
    const won = opportunityContributions({
      ...base,
      wonAt: '2025-03-03T00:00:00Z',
      wonAmount: '900.00',
      current: { seq: 1, stage: 'proposal', status: 'won', winProbability: 1, validFrom: '', validTo: null },
    });
    expect(won.map((c) => [c.t, c.k[0], c.m])).toEqual([
      ['opportunities_daily', '2025-01-01', { created_count: '1', created_amount: '1000.00' }],
      ['opportunities_daily', '2025-03-03', { won_count: '1', won_amount: '900.00' }],
    ]);
  });
});

describe('lead funnel', () => {
  const nothing = { qualifiedAt: null, disqualifiedAt: null, convertedAt: null, firstFollowUpAt: null, opportunityAt: null, wonAt: null, paidAt: null };

  it('implies earlier stages from later ones and never dates a stage before capture', () => {
    const m = funnelMilestones({ ...nothing, capturedAt: '2025-01-10T00:00:00Z', opportunityAt: '2025-01-05T00:00:00Z', wonAt: '2025-02-01T00:00:00Z' });
    expect(Object.keys(m)).toEqual(['won', 'opportunity', 'qualified', 'lead']);
    expect(new Date(m.qualified as number).toISOString()).toBe('2025-01-10T00:00:00.000Z');
    expect(funnelMilestones({ ...nothing, capturedAt: null, wonAt: '2025-02-01T00:00:00Z' })).toEqual({});
  });

  it('counts the response time on the day of the first follow-up', () => {
    const rows = leadContributions({
      ...nothing,
      capturedAt: '2025-01-10T00:00:00Z',
      firstFollowUpAt: '2025-01-11T01:00:00Z',
      dims: { ...dims, productLine: 'pumps' },
    });
    expect(rows).toContainEqual({
      t: 'leads_daily',
      k: ['2025-01-11', 'north', 'pumps', 'web_form', 'r1', 'a'],
      m: { responded: '1', response_seconds: '90000' },
    });
    expect(rows.filter((r) => r.t === 'funnel_daily')).toHaveLength(1);
  });
});

describe('daily buckets are days of the business time zone', () => {
  // 15:59:59Z is 23:59:59 on March 31 in Beijing, 16:00:00Z is midnight of April 1 there.
  const before = '2026-03-31T15:59:59Z';
  const after = '2026-03-31T16:00:00Z';
  const order = (confirmedAt: string): OrderFactView => ({
    currency: 'CNY',
    total: '100.00',
    confirmedAt,
    shippedAt: null,
    cancelledAt: null,
    lines: [{ productLine: 'pumps', lineTotal: '100.00' }],
    dims,
    payments: [{ amount: '100.00', currency: 'CNY', receivedAt: confirmedAt }],
    feedback: [{ rating: 5, complaint: false, receivedAt: confirmedAt }],
  });
  const days = (rows: { t: string; k: string[] }[], table: string) => rows.filter((r) => r.t === table).map((r) => r.k[0]);

  it('orders: the same instants fall on March 31 and April 1 in Beijing, both on March 31 in UTC', () => {
    expect(days(orderContributions(order(before), 'Asia/Shanghai'), 'sales_daily')).toEqual(['2026-03-31', '2026-03-31']);
    expect(days(orderContributions(order(after), 'Asia/Shanghai'), 'sales_daily')).toEqual(['2026-04-01', '2026-04-01']);
    expect(days(orderContributions(order(after), 'Asia/Shanghai'), 'feedback_daily')).toEqual(['2026-04-01']);
    expect(days(orderContributions(order(after), 'UTC'), 'sales_daily')).toEqual(['2026-03-31', '2026-03-31']);
    expect(days(orderContributions(order(after)), 'feedback_daily')).toEqual(['2026-03-31']);
  });

  it('opportunities: created and won on their Beijing days', () => {
    const opp = {
      currency: 'CNY',
      expectedAmount: '10.00',
      expectedCloseDate: '2026-06-30',
      createdAt: before,
      wonAt: after,
      wonAmount: '10.00',
      lostAt: null,
      current: { seq: 1, stage: 'won', status: 'won' as const, winProbability: 1, validFrom: after, validTo: null },
      dims: { ...dims, productLine: 'pumps' },
    };
    expect(days(opportunityContributions(opp, 'Asia/Shanghai'), 'opportunities_daily')).toEqual(['2026-03-31', '2026-04-01']);
    expect(days(opportunityContributions(opp, 'UTC'), 'opportunities_daily')).toEqual(['2026-03-31', '2026-03-31']);
  });

  it('leads: milestones and the capture cohort on their Beijing days', () => {
    const lead = {
      capturedAt: before,
      qualifiedAt: after,
      disqualifiedAt: null,
      convertedAt: null,
      firstFollowUpAt: null,
      opportunityAt: null,
      wonAt: null,
      paidAt: null,
      dims: { ...dims, productLine: 'pumps' },
    };
    const rows = leadContributions(lead, 'Asia/Shanghai');
    expect(days(rows, 'leads_daily')).toEqual(['2026-03-31', '2026-04-01']);
    expect(rows.filter((r) => r.t === 'funnel_daily').map((r) => [r.k[0], r.k[1], r.k[2]])).toEqual([
      ['2026-03-31', '2026-04-01', 'qualified'],
      ['2026-03-31', '2026-03-31', 'lead'],
    ]);
    expect(days(leadContributions(lead, 'UTC'), 'leads_daily')).toEqual(['2026-03-31', '2026-03-31']);
  });
});
