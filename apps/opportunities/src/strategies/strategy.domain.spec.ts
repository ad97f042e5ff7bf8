import { checkAppend, decideRecord, orderChain, StrategyConflictError } from './strategy.domain';

describe('strategy chain', () => {
  const a = { id: 'a', replacesId: null };
  const b = { id: 'b', replacesId: 'a' };
  const c = { id: 'c', replacesId: 'b' };

  it('orders records by their links, whatever order they come in', () => {
    expect(orderChain([c, a, b]).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(orderChain([])).toEqual([]);
  });
  it('refuses a forked or broken chain', () => {
    expect(() => orderChain([a, b, { id: 'x', replacesId: 'a' }])).toThrow(/forks/);
    expect(() => orderChain([a, c])).toThrow(/broken/);
  });
  it('accepts only the latest record as the one replaced', () => {
    expect(() => checkAppend([], undefined)).not.toThrow();
    expect(() => checkAppend([], 'a')).toThrow(StrategyConflictError);
    expect(() => checkAppend([a, b], 'b')).not.toThrow();
    expect(() => checkAppend([a, b], 'a')).toThrow(/already replaced/);
    expect(() => checkAppend([a, b], 'zzz')).toThrow(/not a strategy of this opportunity/);
    expect(() => checkAppend([a, b], undefined)).toThrow(/replacesId must be the latest/);
  });
});

const first = { id: '1a2b3c4d-0000-4000-8000-000000000001', replacesId: null };
const second = { id: '1a2b3c4d-0000-4000-8000-000000000002', replacesId: first.id };

describe('decideRecord', () => {
  const opportunityId = '6f1c1d8e-6a43-4a4e-9d8e-2f0b0c4b7a11';
  const by = { id: '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6', at: new Date('2026-02-01T10:00:00Z'), user: 'rep-1' };
  const open = { id: opportunityId, status: 'open' as const, version: 1, chain: [] };

  it('appends the first record with opportunity.strategy_recorded', () => {
    const { changes, events } = decideRecord(open, { products: ['PUMP-200'], discountPercent: 5, rationale: 'first offer' }, by);
    expect(changes).toEqual({
      id: by.id,
      opportunityId,
      replacesId: null,
      products: ['PUMP-200'],
      pricing: null,
      discountPercent: 5,
      promotions: [],
      rationale: 'first offer',
      by: 'rep-1',
      at: by.at,
    });
    expect(events.map((e) => e.type)).toEqual(['crm.opportunity.strategy_recorded']);
    expect(events[0].data).toMatchObject({
      strategyId: by.id,
      replacesId: null,
      recommendedProducts: ['PUMP-200'],
      discountPercent: 5,
      note: 'first offer',
      recordedAt: by.at.toISOString(),
    });
  });

  it('refuses a closed opportunity and an adjustment of anything but the latest record', () => {
    expect(() => decideRecord({ ...open, status: 'won' }, { rationale: 'x' }, by)).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'OPPORTUNITY_CLOSED', detail: `Opportunity ${opportunityId} is won.` }),
    );
    expect(() => decideRecord({ ...open, chain: [first, second] }, { replacesId: first.id, rationale: 'x' }, by)).toThrow(
      expect.objectContaining({ code: 'STRATEGY_CONFLICT' }),
    );
    expect(decideRecord({ ...open, chain: [first, second] }, { replacesId: second.id, rationale: 'x' }, by).changes.replacesId).toBe(second.id);
  });
});
