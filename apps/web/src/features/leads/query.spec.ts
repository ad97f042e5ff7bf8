import { apiParams, nextDay, queryRecord, readQuery, sortOf, sortValue } from './query';

describe('lead list query', () => {
  it('reads what the API accepts from the URL and drops the rest', () => {
    const params = new URLSearchParams('status=qualified&source=fax&q=%20w%20&overdue=true&from=2026-01-01&to=bad&sort=-score&cursor=x');
    expect(readQuery(params)).toEqual({ status: 'qualified', overdue: true, from: '2026-01-01', sort: '-score' });
    expect(readQuery(new URLSearchParams('q=王伟&region=east'))).toEqual({ q: '王伟', region: 'east' });
  });

  it('writes the query back as strings, without empty or false keys, and round-trips', () => {
    const query = { status: 'new' as const, overdue: false, q: 'acme', sort: 'company' };
    expect(queryRecord(query)).toEqual({ status: 'new', q: 'acme', sort: 'company' });
    expect(readQuery(new URLSearchParams(queryRecord(query)))).toEqual({ status: 'new', q: 'acme', sort: 'company' });
  });

  it('sends calendar days as instants, the end day inclusive', () => {
    expect(apiParams({ from: '2026-02-28', to: '2026-02-28', q: 'li' }, (d) => `${d}T00:00:00+08:00`)).toEqual({
      q: 'li',
      from: '2026-02-28T00:00:00+08:00',
      to: '2026-03-01T00:00:00+08:00',
    });
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });

  it('maps table sorting to the allow-listed sort values', () => {
    expect(sortOf(undefined)).toEqual({ column: 'createdAt', order: 'descend' });
    expect(sortOf('company')).toEqual({ column: 'company', order: 'ascend' });
    expect(sortValue('score', 'descend')).toBe('-score');
    expect(sortValue('email', 'ascend')).toBeUndefined();
    expect(sortValue('score', null)).toBeUndefined();
  });
});
