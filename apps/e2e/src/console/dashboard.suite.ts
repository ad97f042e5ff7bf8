import { unwrap, type CrmClient } from '@crm/api-client';
import { eventually } from '@crm/testing';
import type { ConsolePage } from './harness';
import { expectScreenSound, pickPerson, shownMoney as money, signInAs, type ConsoleSuiteContext } from './suite';

// The console formats as en-GB for English readers; the test formats the API's exact strings the same way.
const number = (v: number | null, digits = 0) => (v === null ? '–' : new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits }).format(v));
const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function beijingQuarter(): { period: string; from: string; to: string } {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const y = Number(today.slice(0, 4));
  const q = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const first = (q - 1) * 3 + 1;
  return { period: `${y}-Q${q}`, from: `${y}-${pad(first)}-01`, to: `${y}-${pad(first + 2)}-${lastDay(y, first + 2)}` };
}

/** The body rows of a card's figures table (after switching the card to its table). */
async function tableOf(tab: ConsolePage, id: string): Promise<string[][] | 'empty'> {
  const card = tab.page.getByTestId(`chart-${id}`);
  await card.getByText('Table', { exact: true }).click();
  const table = card.locator('table tbody tr.ant-table-row');
  const empty = card.getByText('No figures for these filters');
  await table.first().or(empty).waitFor();
  if (await empty.isVisible()) return 'empty';
  return table.evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
}

type Point = { x: string; y: string | number };
async function netBy(api: CrmClient, groupBy: 'month' | 'region' | 'product', q: { from: string; to: string; team?: string }) {
  const data = await unwrap(api.GET('/api/v1/analytics/sales', { params: { query: { ...q, groupBy, currency: 'CNY' } } }));
  const points: Point[] = data.series.find((s) => s.measure === 'net' && s.currency === 'CNY')?.points ?? [];
  return points.map((p) => [groupBy === 'month' ? p.x.slice(0, 7) : p.x, money(p.y, 'CNY')]);
}

export function dashboardSuite(ctx: ConsoleSuiteContext): void {
  describe('dashboard', () => {
    it("shows a manager each chart's figures as the analytics API answers them for the same filters", async () => {
      const harness = ctx.harness();
      const session = await signInAs(harness, 'sales_manager', 'east');
      const api = harness.api(session);
      const { period, from, to } = beijingQuarter();
      const q = { from, to, team: 'east' };
      const tab = await harness.pageAs(session);
      try {
        await tab.goto(`/dashboard?period=quarter&p=${period}&team=east&currency=CNY`);
        await tab.page.getByRole('heading', { name: 'Sales dashboard' }).waitFor();
        await tab.page.getByTestId('chart-revenue-month').locator('canvas').waitFor();
        await expectScreenSound(tab, 'dashboard');

        for (const groupBy of ['month', 'region', 'product'] as const) {
          expect({ groupBy, rows: await tableOf(tab, `revenue-${groupBy}`) }).toEqual({ groupBy, rows: await netBy(api, groupBy, q) });
        }

        const funnel = await unwrap(api.GET('/api/v1/analytics/funnel', { params: { query: q } }));
        const funnelRows = await tableOf(tab, 'funnel');
        const funnelPoints: Point[] = funnel.series[0]?.points ?? [];
        if (funnelPoints.some((p) => Number(p.y) > 0))
          expect(funnelRows !== 'empty' && funnelRows.map((r) => r[1])).toEqual(funnelPoints.map((p) => number(Number(p.y))));
        else expect(funnelRows).toBe('empty');

        const cycle = (await unwrap(api.GET('/api/v1/analytics/cycle-time', { params: { query: q } }))).rows as {
          count: number;
          medianHours: number | null;
          p90Hours: number | null;
        }[];
        const cycleRows = await tableOf(tab, 'cycle-time');
        if (cycle.some((r) => r.count > 0))
          expect(cycleRows !== 'empty' && cycleRows.map((r) => r.slice(1))).toEqual(
            cycle.map((r) => [number(r.count), number(r.medianHours, 2), number(r.p90Hours, 2)]),
          );
        else expect(cycleRows).toBe('empty');

        const [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
        const historyEnd = m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`;
        const forecast = await unwrap(api.GET('/api/v1/analytics/forecast', { params: { query: { currency: 'CNY', historyEnd, horizon: 3, team: 'east' } } }));
        const ahead = (measure: string) => (forecast.series.find((s) => s.measure === measure)?.points ?? []).map((p) => [p.x.slice(0, 7), money(p.y, 'CNY')]);
        const forecastRows = await tableOf(tab, 'forecast');
        expect(forecastRows !== 'empty' && forecastRows.slice(-3).map((r) => [r[0], r[2], r[3], r[4]])).toEqual(
          ahead('forecast').map(([x, f], i) => [x, f, ahead('lower')[i]?.[1], ahead('upper')[i]?.[1]]),
        );

        const kpiQuery = { period, currency: 'CNY', team: 'east' };
        const ranked = (await unwrap(api.GET('/api/v1/analytics/rankings', { params: { query: { ...kpiQuery, metric: 'revenue' } } }))).rows as {
          rank: number | null;
          name: string | null;
          key: string;
          revenue: string;
        }[];
        const expectedRanks = ranked.filter((r) => r.rank !== null).map((r) => [String(r.rank), r.name ?? r.key, money(r.revenue, 'CNY')]);
        expect(await tableOf(tab, 'rankings')).toEqual(expectedRanks.length ? expectedRanks : 'empty');

        const kpis = (await unwrap(api.GET('/api/v1/analytics/kpis', { params: { query: kpiQuery } }))).rows as {
          name: string | null;
          key: string;
          revenue: string;
          quota: string | null;
        }[];
        const withQuota = kpis.filter((r) => r.quota !== null).map((r) => [r.name ?? r.key, money(r.revenue, 'CNY'), money(r.quota as string, 'CNY')]);
        const quotaRows = await tableOf(tab, 'quota');
        expect(quotaRows === 'empty' ? 'empty' : quotaRows.map((r) => r.slice(0, 3))).toEqual(withQuota.length ? withQuota : 'empty');

        const incentives = await unwrap(api.GET('/api/v1/incentives', { params: { query: { period, team: 'east' } } }));
        const earned = incentives.rows.map((r) => [r.name ?? r.repId, money(r.commission, r.currency), money(r.bonus, r.currency), money(r.total, r.currency)]);
        expect(await tableOf(tab, 'incentives')).toEqual(earned.length ? earned : 'empty');
        expect(tab.errors).toEqual([]);
      } finally {
        await tab.close();
      }
    });

    it('answers a new period and a new team with the API figures for them, and keeps the filters in the URL', async () => {
      const harness = ctx.harness();
      const admin = await pickPerson(harness, 'admin');
      const session = await harness.signIn(admin.id, 'admin');
      const api = harness.api(session);
      const { period, from, to } = beijingQuarter();
      const tab = await harness.pageAs(session, { viewport: 'tablet' });
      try {
        await tab.goto(`/dashboard?period=quarter&p=${period}&team=east&currency=CNY`);
        await tab.page.getByRole('heading', { name: 'Sales dashboard' }).waitFor();
        expect(await tableOf(tab, 'revenue-region')).toEqual(await netBy(api, 'region', { from, to, team: 'east' }));

        // A month: the last of the quarter.
        await tab.page.getByRole('search').getByText('Month', { exact: true }).click();
        const month = to.slice(0, 7);
        await tab.page.waitForURL(new RegExp(`period=month&p=${month}`));
        const monthRows = await netBy(api, 'region', { from: `${month}-01`, to, team: 'east' });
        await eventually(async () => expect(await tableOf(tab, 'revenue-region')).toEqual(monthRows), { timeoutMs: 10_000 });

        // Another team.
        await tab.page.locator('#dashboard-team').click();
        await tab.page.locator('.ant-select-item-option[title="south"]').click();
        await tab.page.waitForURL(/team=south/);
        const southRows = await netBy(api, 'region', { from: `${month}-01`, to, team: 'south' });
        expect(southRows).not.toEqual(monthRows);
        await eventually(async () => expect(await tableOf(tab, 'revenue-region')).toEqual(southRows), { timeoutMs: 10_000 });
        await tab.page.getByTestId('chart-revenue-region').getByText('Chart', { exact: true }).click();
        await expectScreenSound(tab, 'dashboard-tablet');
      } finally {
        await tab.close();
      }
    });

    it('refuses the dashboard to a rep', async () => {
      const harness = ctx.harness();
      const tab = await harness.pageAs(await signInAs(harness, 'sales_rep', 'east'));
      try {
        await tab.goto('/dashboard');
        await tab.page.getByText('403', { exact: true }).waitFor();
        expect(await tab.page.getByRole('heading', { name: 'Sales dashboard' }).count()).toBe(0);
      } finally {
        await tab.close();
      }
    });
  });
}
