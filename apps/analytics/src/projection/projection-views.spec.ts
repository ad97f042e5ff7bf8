import { restates } from './directories.projection';
import type { LeadProjectionRow } from './lead-facts.repository';
import { leadView } from './leads.projection';
import { projectOpportunity } from './opportunities.projection';
import type { OpportunityProjectionRow } from './opportunity-facts.repository';
import type { OrderProjectionRow } from './order-facts.repository';
import { orderView } from './orders.projection';

const lead = (over: Partial<LeadProjectionRow> = {}): LeadProjectionRow => ({
  lead_id: 'l1',
  source: null,
  campaign: null,
  region: null,
  product_line: null,
  captured_at: new Date('2026-01-01T10:00:00Z'),
  rep_id: null,
  team: null,
  assigned_at: null,
  first_follow_up_at: null,
  follow_ups: 0,
  qualified_at: null,
  disqualified_at: null,
  converted_at: null,
  contrib: [],
  rep_team: null,
  opportunity_at: null,
  won_at: null,
  paid_at: null,
  ...over,
});

const opportunity = (over: Partial<OpportunityProjectionRow> = {}): OpportunityProjectionRow => ({
  opportunity_id: 'o1',
  deal_known: true,
  lead_id: null,
  rep_id: 'r1',
  team: null,
  region: 'north',
  product_line: 'pumps',
  currency: 'EUR',
  expected_amount: '1000.0000',
  expected_close_date: null,
  created_at: new Date('2026-01-01T00:00:00Z'),
  stage: null,
  win_probability: null,
  status: null,
  won_at: null,
  won_amount: null,
  lost_at: null,
  contrib: [],
  close_date: '2026-03-15',
  lead_source: null,
  rep_team: 'alpha',
  history: [
    { kind: 'created', at: '2026-01-01T00:00:00.000Z', stage: 'qualify', p: 0.2 },
    { kind: 'stage', at: '2026-01-10T00:00:00.000Z', stage: 'proposal', p: 0.5 },
  ],
  terms: [],
  ...over,
});

const order = (over: Partial<OrderProjectionRow> = {}): OrderProjectionRow => ({
  order_id: 'x1',
  opportunity_id: 'o1',
  rep_id: null,
  team: null,
  region: null,
  currency: 'EUR',
  total: '100.0000',
  payment_terms: 'NET30',
  status: 'confirmed',
  confirmed_at: new Date('2026-02-01T00:00:00Z'),
  shipped_at: null,
  delivered_at: null,
  completed_at: null,
  cancelled_at: null,
  status_at: null,
  contrib: [],
  deal_known: true,
  lead_id: 'l1',
  opp_region: 'south',
  opp_team: 'beta',
  opp_product_line: 'valves',
  lead_source: 'web_form',
  rep_team: 'gamma',
  ...over,
});
const none = { lines: [], payments: [], feedback: [] };

describe('restates (a directory change that moves the facts relying on it)', () => {
  const same = (a: { team: string | null }, b: { team: string | null }) => a.team === b.team;
  it('restates a new row and a changed classification, not an unchanged one nor an older upsert', () => {
    expect(restates(undefined, { team: 'a' }, same)).toBe(true);
    expect(restates({ team: 'a' }, { team: 'b' }, same)).toBe(true);
    expect(restates({ team: 'a' }, { team: 'a' }, same)).toBe(false);
    expect(restates({ team: 'a' }, undefined, same)).toBe(false);
  });
});

describe('leadView', () => {
  it('marks what nobody told us as unknown, and a lead without a rep as unassigned', () => {
    expect(leadView(lead()).dims).toEqual({ region: 'unknown', productLine: 'unknown', source: 'unknown', repId: 'unassigned', team: 'unassigned' });
    expect(leadView(lead({ rep_id: 'r1' })).dims).toMatchObject({ repId: 'r1', team: 'unknown' });
  });

  it("takes the lead's own team first, else its rep's current team", () => {
    expect(leadView(lead({ rep_id: 'r1', rep_team: 'alpha' })).dims.team).toBe('alpha');
    expect(leadView(lead({ rep_id: 'r1', team: 'own', rep_team: 'alpha' })).dims.team).toBe('own');
  });

  it('passes the milestones through', () => {
    const won = new Date('2026-02-01T00:00:00Z');
    expect(leadView(lead({ won_at: won, source: 'phone' }))).toMatchObject({ wonAt: won, dims: { source: 'phone' } });
  });
});

describe('projectOpportunity', () => {
  it('derives the current state and one interval per history entry, weighted by its probability', () => {
    const { state, intervals } = projectOpportunity(opportunity());
    expect(state).toEqual({ id: 'o1', stage: 'proposal', status: 'open', p: 0.5, amount: null, closeDate: null });
    expect(intervals.map((i) => [i.stage, i.weighted, i.valid_to])).toEqual([
      ['qualify', '200.00', '2026-01-10T00:00:00.000Z'],
      ['proposal', '500.00', null],
    ]);
  });

  it('cuts the intervals where the terms changed: each piece has the amount of its time, the view and the state the latest terms', () => {
    const { state, intervals, view } = projectOpportunity(
      opportunity({
        terms: [
          // Arrived before the creation's terms, took effect after them.
          { kind: 'changed', at: '2026-01-20T00:00:00.000Z', amount: '3000.00', closeDate: '2026-05-31' },
          { kind: 'created', at: '2026-01-01T00:00:00.000Z', amount: '1000.00', closeDate: '2026-03-15' },
          { kind: 'changed', at: '2026-01-05T00:00:00.000Z', amount: '2000.00', closeDate: '2026-04-30' },
        ],
      }),
    );
    expect(intervals.map((i) => [i.seq, i.stage, i.amount, i.weighted, i.valid_from, i.valid_to])).toEqual([
      [0, 'qualify', '1000.00', '200.00', '2026-01-01T00:00:00.000Z', '2026-01-05T00:00:00.000Z'],
      [1, 'qualify', '2000.00', '400.00', '2026-01-05T00:00:00.000Z', '2026-01-10T00:00:00.000Z'],
      [2, 'proposal', '2000.00', '1000.00', '2026-01-10T00:00:00.000Z', '2026-01-20T00:00:00.000Z'],
      [3, 'proposal', '3000.00', '1500.00', '2026-01-20T00:00:00.000Z', null],
    ]);
    expect(state).toMatchObject({ amount: '3000.00', closeDate: '2026-05-31' });
    expect(view).toMatchObject({ expectedAmount: '3000.00', expectedCloseDate: '2026-05-31' });
  });

  it('keeps the stored amount and close date of a row from before terms were kept', () => {
    const { state, intervals, view } = projectOpportunity(opportunity());
    expect(state).toMatchObject({ amount: null, closeDate: null });
    expect(intervals.map((i) => i.amount)).toEqual(['1000.0000', '1000.0000']);
    expect(view).toMatchObject({ expectedAmount: '1000.0000', expectedCloseDate: '2026-03-15' });
  });

  it('writes no intervals without an amount or a currency', () => {
    expect(projectOpportunity(opportunity({ expected_amount: null })).intervals).toEqual([]);
    expect(projectOpportunity(opportunity({ currency: null })).intervals).toEqual([]);
  });

  it('resolves the source through the lead (direct without one, unknown until the deal is known) and the team through the rep', () => {
    expect(projectOpportunity(opportunity()).view.dims).toMatchObject({ source: 'direct', team: 'alpha' });
    expect(projectOpportunity(opportunity({ lead_id: 'l1', lead_source: 'referral' })).view.dims.source).toBe('referral');
    expect(projectOpportunity(opportunity({ lead_id: 'l1' })).view.dims.source).toBe('unknown');
    expect(projectOpportunity(opportunity({ deal_known: false })).view.dims.source).toBe('unknown');
    expect(projectOpportunity(opportunity({ team: 'own' })).intervals[0].team).toBe('own');
  });
});

describe('orderView', () => {
  it("falls back on the opportunity's region, team and product line, and takes the lead's source", () => {
    const v = orderView(order(), { ...none, lines: [{ order_id: 'x1', line_total: '100.0000', product_line: null }] });
    expect(v.dims).toEqual({ region: 'south', source: 'web_form', repId: 'unknown', team: 'beta' });
    expect(v.lines).toEqual([{ lineTotal: '100.0000', productLine: 'valves' }]);
  });

  it('is direct without an opportunity or a lead, unknown before its confirmation or its deal is known', () => {
    expect(orderView(order({ opportunity_id: null }), none).dims.source).toBe('direct');
    expect(orderView(order({ lead_id: null }), none).dims.source).toBe('direct');
    expect(orderView(order({ deal_known: false }), none).dims.source).toBe('unknown');
    expect(orderView(order({ confirmed_at: null }), none).dims.source).toBe('unknown');
  });

  it("takes the rep from the feedback when the order did not say, and only the order's own rows", () => {
    const at = new Date('2026-02-02T00:00:00Z');
    const v = orderView(order({ opp_team: null }), {
      lines: [],
      payments: [
        { order_id: 'x1', amount: '10.0000', currency: 'EUR', received_at: at },
        { order_id: 'x2', amount: '99.0000', currency: 'EUR', received_at: at },
      ],
      feedback: [{ order_id: 'x1', rating: 4, complaint: false, received_at: at, rep_id: 'r9' }],
    });
    expect(v.dims).toMatchObject({ repId: 'r9', team: 'gamma' });
    expect(v.payments).toEqual([{ amount: '10.0000', currency: 'EUR', receivedAt: at }]);
    expect(v.feedback).toEqual([{ rating: 4, complaint: false, receivedAt: at }]);
  });
});
