import { BusinessCalendar } from '@crm/calendar';
import { cycleSecondsSql, pipelineSql } from './deals.queries';
import { Params, factScopeFilter, scopeFilter } from './report.queries';
import { monthsBetween, nextDay, reportRange, timeBuckets } from './report-range';

const utc = new BusinessCalendar('UTC');
const beijing = new BusinessCalendar('Asia/Shanghai');

describe('report ranges', () => {
  it('defaults to the last 12 months up to today', () => {
    expect(reportRange({}, utc, new Date('2026-07-15T12:00:00Z'))).toEqual({ from: '2025-08-01', to: '2026-07-15' });
    expect(reportRange({ to: '2026-03-31' }, utc)).toEqual({ from: '2025-04-01', to: '2026-03-31' });
    expect(reportRange({ from: '2026-01-05', to: '2026-01-09' }, utc)).toEqual({ from: '2026-01-05', to: '2026-01-09' });
  });

  it("today is the business time zone's today: 07:30 in Beijing on August 1 is still July 31 in UTC", () => {
    const now = new Date('2026-07-31T23:30:00Z');
    expect(reportRange({}, beijing, now)).toEqual({ from: '2025-09-01', to: '2026-08-01' });
    expect(reportRange({}, utc, now)).toEqual({ from: '2025-08-01', to: '2026-07-31' });
  });

  it('a business day given as a bound becomes the instants its midnights are in the business time zone', () => {
    const all = { kind: 'all' } as const;
    expect(cycleSecondsSql('lead_response', '2026-04-01', '2026-04-30', all, beijing).params).toEqual(['2026-03-31T16:00:00.000Z', '2026-04-30T16:00:00.000Z']);
    expect(cycleSecondsSql('lead_response', '2026-04-01', '2026-04-30', all, utc).params).toEqual(['2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z']);
    expect(pipelineSql({ asOf: '2026-03-31' }, all, beijing).params).toEqual(['2026-03-31T16:00:00.000Z']);
  });

  it('steps a day across month and year ends', () => {
    expect(nextDay('2025-12-31')).toBe('2026-01-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
  });

  it('gives a bucket for every period touched, weeks starting on Monday', () => {
    expect(timeBuckets('week', '2026-01-07', '2026-01-19')).toEqual(['2026-01-05', '2026-01-12', '2026-01-19']);
    expect(timeBuckets('quarter', '2026-02-10', '2026-07-01')).toEqual(['2026-01-01', '2026-04-01', '2026-07-01']);
    expect(timeBuckets('day', '2026-01-30', '2026-02-01')).toEqual(['2026-01-30', '2026-01-31', '2026-02-01']);
    expect(timeBuckets('month', '2026-03-31', '2026-04-01')).toEqual(['2026-03-01', '2026-04-01']);
  });

  it('lists the month starts of a period', () => {
    expect(monthsBetween('2025-11-01', '2026-02-01')).toEqual(['2025-11-01', '2025-12-01', '2026-01-01']);
    expect(monthsBetween('2026-01-01', '2026-01-01')).toEqual([]);
  });
});

describe('access filters', () => {
  it("limits a manager to the team's rows and a rep to their own; admin sees all", () => {
    const p = new Params();
    expect(scopeFilter({ kind: 'team', team: 'alpha' }, p)).toBe(' AND team = $1');
    expect(scopeFilter({ kind: 'own', repId: 'r1' }, p, 's')).toBe(' AND s.rep_id = $2');
    expect(scopeFilter({ kind: 'all' }, p)).toBe('');
    expect(factScopeFilter({ kind: 'team', team: 'beta' }, p, 'o.rep_id', 'COALESCE(o.team, r.team)')).toBe(' AND COALESCE(o.team, r.team) = $3');
    expect(factScopeFilter({ kind: 'own', repId: 'r2' }, p, 'o.rep_id', 'o.team')).toBe(' AND o.rep_id = $4');
    expect(p.values).toEqual(['alpha', 'r1', 'beta', 'r2']);
  });
});
