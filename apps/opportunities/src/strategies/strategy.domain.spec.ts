import { checkAppend, orderChain, StrategyConflictError } from './strategy.domain';

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
