import { generateYear } from './year';

const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);
const size = { leads: 600, directOpportunities: 0, directOrders: 0 };

describe('generateYear', () => {
  it('is the same year for the same seed, 2025 by default', () => {
    const a = generateYear(7, size);
    expect(generateYear(7, size).leads).toEqual(a.leads);
    expect(new Set(a.leads.map((l) => l.capturedAt >= Date.UTC(2025, 0, 1) && l.capturedAt < Date.UTC(2026, 0, 1)))).toEqual(new Set([true]));
  });

  it('starts where it is told', () => {
    const start = Date.UTC(2025, 11, 1);
    const year = generateYear(7, size, { start });
    expect(Math.min(...year.leads.map((l) => l.capturedAt))).toBeGreaterThanOrEqual(start);
    expect(monthOf(Math.max(...year.leads.map((l) => l.capturedAt))) <= '2026-11').toBe(true);
  });

  it('puts more of the year in the heavier months of its season', () => {
    const season = [2, 2, 0.2, 0.2, 1, 1, 1, 1, 1, 1, 1, 1];
    const year = generateYear(7, size, { season });
    const count = (m: string) => year.leads.filter((l) => monthOf(l.capturedAt) === m).length;
    expect(count('2025-01') + count('2025-02')).toBeGreaterThan(5 * (count('2025-03') + count('2025-04')));
  });

  it('spreads its activity over spanDays, so that a year cut at day 365 ends as busy as it runs', () => {
    const lastMonth = (year: ReturnType<typeof generateYear>) => year.leads.filter((l) => monthOf(l.capturedAt) === '2025-12').length;
    const spread = generateYear(7, size, { spanDays: 400 });
    expect(lastMonth(generateYear(7, size))).toBe(0);
    expect(lastMonth(spread)).toBeGreaterThan(size.leads / 12 / 2);
    expect(Math.max(...spread.leads.map((l) => l.capturedAt))).toBeGreaterThan(Date.UTC(2025, 11, 20));
  });
});
