import { forecastWindow, kpiPeriod, monthsOf, periodRange, readFilters, writeFilters } from './filters';

describe('dashboard filters', () => {
  it('defaults to the quarter of today and the manager team', () => {
    const f = readFilters(new URLSearchParams(''), '2026-12-05', 'east');
    expect(f).toMatchObject({ kind: 'quarter', period: '2026-Q4', from: '2026-10-01', to: '2026-12-31', team: 'east', currency: 'CNY' });
  });

  it('reads months, quarters and custom ranges back from the URL it writes', () => {
    for (const search of ['period=month&p=2026-02', 'period=quarter&p=2025-Q1', 'period=custom&from=2026-01-15&to=2026-03-10']) {
      const f = readFilters(new URLSearchParams(search), '2026-12-05', 'east');
      expect(readFilters(writeFilters(f), '2026-12-05', null)).toEqual(f);
    }
    expect(readFilters(new URLSearchParams('period=month&p=2024-02'), '2026-12-05', null)).toMatchObject({ from: '2024-02-01', to: '2024-02-29' });
    expect(readFilters(new URLSearchParams('team='), '2026-12-05', 'east').team).toBeNull();
  });

  it('ignores malformed values', () => {
    const f = readFilters(new URLSearchParams('period=custom&from=2026-05-01&to=2026-04-01&currency=eur'), '2026-12-05', null);
    expect(f).toMatchObject({ from: '2026-10-01', to: '2026-12-31', currency: 'CNY' });
  });

  it('maps a range to the KPI period and the forecast window', () => {
    expect(periodRange('2026-Q1')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(kpiPeriod({ kind: 'custom', from: '2026-01-15', to: '2026-03-10' })).toBe('2026-Q1');
    expect(kpiPeriod({ kind: 'custom', from: '2026-03-02', to: '2026-03-10' })).toBe('2026-03');
    expect(monthsOf('2025-11-20', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(forecastWindow('2026-01-01', '2026-03-31')).toEqual({ historyEnd: '2025-12', horizon: 3 });
  });
});
