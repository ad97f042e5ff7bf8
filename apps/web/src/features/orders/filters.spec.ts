import { apiQuery, filtersFromSearch, nextDay, searchFromFilters } from './filters';

describe('orders list filters', () => {
  it('reads only what the API accepts from the URL', () => {
    const f = filtersFromSearch(new URLSearchParams('status=shipped&sort=-total&q=a&from=2026-01-02&to=junk&customer=%20Acme%20'));
    expect(f).toEqual({ status: 'shipped', sort: '-total', q: undefined, from: '2026-01-02', to: undefined, customer: 'Acme', repId: undefined });
    expect(filtersFromSearch(new URLSearchParams('status=lost&sort=name')).sort).toBe('-createdAt');
    expect(filtersFromSearch(new URLSearchParams('status=lost')).status).toBeUndefined();
  });

  it('writes the URL back without defaults and round-trips', () => {
    const f = filtersFromSearch(new URLSearchParams('status=draft&q=王伟&sort=total'));
    expect(searchFromFilters(f).toString()).toBe(new URLSearchParams('status=draft&q=王伟&sort=total').toString());
    expect(searchFromFilters({ sort: '-createdAt' }).toString()).toBe('');
  });

  it('sends the day after the picked end day, since the API takes "created before"', () => {
    expect(apiQuery({ sort: '-createdAt', from: '2026-12-01', to: '2026-12-31' })).toEqual({ sort: '-createdAt', from: '2026-12-01', to: '2027-01-01' });
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
  });
});
