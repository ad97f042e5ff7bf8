import Big from 'big.js';
import { formatAmount } from '@crm/money';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { analyticsSettings } from './analytics.settings';
import { AppModule } from './app.module';
import { RebuildService } from './projection/rebuild.service';
import { ADMIN, consumed, inboxCount, publishMany, snapshotReadModel } from './testing/analytics-fixtures';
import { generateYear, prng, type GenOrder } from './testing/year-fixture';

const year = generateYear();
const month = (ms: number) => `${new Date(ms).toISOString().slice(0, 7)}-01`;
const DIRECT = 'direct';

/** Σ of decimal strings per key, formatted like the API prints money. */
function sumBy<T>(rows: readonly T[], key: (r: T) => string | null, value: (r: T) => string | null): Record<string, string> {
  const acc = new Map<string, Big>();
  for (const r of rows) {
    const k = key(r);
    const v = value(r);
    if (k === null || v === null) continue;
    acc.set(k, (acc.get(k) ?? new Big(0)).plus(v));
  }
  return Object.fromEntries([...acc].map(([k, v]) => [k, formatAmount(v)]));
}
const countBy = <T>(rows: readonly T[], key: (r: T) => string | null) => {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const k = key(r);
    if (k !== null) out[k] = (out[k] ?? 0) + 1;
  }
  return out;
};

/** A series of the API as { x: y } without the zero points (the API fills every time bucket). */
function seriesOf(body: { series: { label: string; points: { x: string; y: string | number }[] }[] }, label: string) {
  const s = body.series.find((x) => x.label === label);
  if (!s) return {};
  return Object.fromEntries(s.points.filter((p) => Number(p.y) !== 0).map((p) => [p.x, p.y]));
}

// A few thousand events through the real broker: generous on a loaded 2-core CI machine.
jest.setTimeout(180_000);

describe('analytics over a generated year of events (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const get = (url: string) =>
    svc
      .as(ADMIN)
      .get(url)
      .expect(200)
      .then((r) => r.body);
  const range = 'from=2025-01-01&to=2026-12-31';
  const oppById = new Map(year.opportunities.map((o) => [o.opportunityId, o]));
  const leadById = new Map(year.leads.map((l) => [l.leadId, l]));
  const sourceOf = (o: GenOrder) => {
    if (!o.opportunityId) return DIRECT;
    const opp = oppById.get(o.opportunityId);
    return opp?.leadId ? (leadById.get(opp.leadId)?.source as string) : DIRECT;
  };
  const productLineOf = new Map(year.items.map((i) => [i.sku, i.productLine]));
  const byCurrency = (currency: string) => year.orders.filter((o) => o.currency === currency);
  const payments = year.orders.flatMap((o) => o.payments.map((p) => ({ ...p, order: o })));

  beforeAll(async () => {
    svc = await startTestService('analytics', (config) => AppModule.forRoot(config), { settings: analyticsSettings });
    // Dependencies last: payments and orders arrive before the opportunities, leads, items and reps they
    // resolve their dimensions through, the hardest order for the read model.
    const rank = (type: string) => ['crm.payment', 'crm.order', 'crm.opportunity', 'crm.lead', 'crm.item', 'crm.rep'].findIndex((p) => type.startsWith(p));
    await publishMany(
      svc,
      [...year.events].sort((a, b) => rank(a.type) - rank(b.type)),
    );
    await eventually(async () => expect(await inboxCount(svc)).toBe(year.events.length), { timeoutMs: 50_000 });
  }, 90_000);
  afterAll(() => svc?.close());

  it('keeps revenue by month to the cent: confirmed, cancelled, shipped and paid per currency, never mixed', async () => {
    const body = await get(`/api/v1/analytics/sales?groupBy=month&${range}`);
    expect(body.asOf).toBe(new Date(Math.max(...year.events.map((e) => Date.parse(e.time)))).toISOString());
    for (const currency of ['EUR', 'USD']) {
      const orders = byCurrency(currency);
      expect(seriesOf(body, `confirmed ${currency}`)).toEqual(
        sumBy(
          orders,
          (o) => month(o.confirmedAt),
          (o) => o.total,
        ),
      );
      expect(seriesOf(body, `cancelled ${currency}`)).toEqual(
        sumBy(
          orders,
          (o) => (o.cancelledAt ? month(o.cancelledAt) : null),
          (o) => o.total,
        ),
      );
      expect(seriesOf(body, `shipped ${currency}`)).toEqual(
        sumBy(
          orders,
          (o) => (o.shippedAt ? month(o.shippedAt) : null),
          (o) => o.total,
        ),
      );
      expect(seriesOf(body, `paid ${currency}`)).toEqual(
        sumBy(
          payments.filter((p) => p.order.currency === currency),
          (p) => month(p.at),
          (p) => p.amount,
        ),
      );
      expect(seriesOf(body, `orders ${currency}`)).toEqual(countBy(orders, (o) => month(o.confirmedAt)));
    }
    expect(seriesOf(body, 'leads')).toEqual(countBy(year.leads, (l) => month(l.capturedAt)));
    expect(seriesOf(body, 'opportunities')).toEqual(countBy(year.opportunities, (o) => month(o.createdAt)));
    expect(seriesOf(body, 'won')).toEqual(countBy(year.opportunities, (o) => (o.outcome === 'won' ? month(o.closedAt as number) : null)));
    expect(seriesOf(body, 'lost')).toEqual(countBy(year.opportunities, (o) => (o.outcome === 'lost' ? month(o.closedAt as number) : null)));
  });

  it('keeps revenue by region, rep, team, lead source and product line', async () => {
    for (const currency of ['EUR', 'USD']) {
      const orders = byCurrency(currency);
      const cur = `&currency=${currency}`;
      expect(seriesOf(await get(`/api/v1/analytics/sales?groupBy=region&${range}${cur}`), `confirmed ${currency}`)).toEqual(
        sumBy(
          orders,
          (o) => o.region,
          (o) => o.total,
        ),
      );
      expect(seriesOf(await get(`/api/v1/analytics/sales?groupBy=rep&${range}${cur}`), `paid ${currency}`)).toEqual(
        sumBy(
          payments.filter((p) => p.order.currency === currency),
          (p) => p.order.repId,
          (p) => p.amount,
        ),
      );
      expect(seriesOf(await get(`/api/v1/analytics/sales?groupBy=team&${range}${cur}`), `net ${currency}`)).toEqual(
        sumBy(
          orders.filter((o) => !o.cancelledAt),
          (o) => o.team,
          (o) => o.total,
        ),
      );
      expect(seriesOf(await get(`/api/v1/analytics/sales?groupBy=source&${range}${cur}`), `confirmed ${currency}`)).toEqual(
        sumBy(orders, sourceOf, (o) => o.total),
      );
      const lines = orders.flatMap((o) => o.lines.map((l) => ({ ...l, order: o })));
      const byProduct = await get(`/api/v1/analytics/sales?groupBy=product&${range}${cur}`);
      expect(seriesOf(byProduct, `confirmed ${currency}`)).toEqual(
        sumBy(
          lines,
          (l) => productLineOf.get(l.sku) as string,
          (l) => l.lineTotal,
        ),
      );
      expect(seriesOf(byProduct, `shipped ${currency}`)).toEqual(
        sumBy(
          lines.filter((l) => l.order.shippedAt),
          (l) => productLineOf.get(l.sku) as string,
          (l) => l.lineTotal,
        ),
      );
      expect(seriesOf(byProduct, 'USD confirmed')).toEqual({}); // one currency asked, one currency answered
    }
  });

  it('counts the funnel and the open pipeline (raw and weighted) as the test computes them', async () => {
    const funnel = await get(`/api/v1/analytics/funnel?${range}`);
    const wonLeads = new Set(year.opportunities.filter((o) => o.outcome === 'won' && o.leadId).map((o) => o.leadId));
    const paidOpps = new Set(year.orders.filter((o) => o.payments.some((p) => p.outstanding === '0.00')).map((o) => o.opportunityId));
    const paidLeads = new Set(year.opportunities.filter((o) => o.leadId && paidOpps.has(o.opportunityId)).map((o) => o.leadId));
    expect(funnel.series).toHaveLength(1);
    expect(funnel.series[0].points.map((p: { x: string; y: number }) => [p.x, p.y])).toEqual([
      ['lead', year.leads.length],
      ['qualified', year.leads.filter((l) => l.qualifiedAt || l.convertedAt).length],
      ['opportunity', year.leads.filter((l) => l.convertedAt).length],
      ['won', wonLeads.size],
      ['paid', paidLeads.size],
    ]);
    expect(funnel.series[0].points[1].rate).toBe(new Big(funnel.series[0].points[1].y).div(year.leads.length).round(4, Big.roundHalfEven).toFixed(4));

    const pipeline = await get('/api/v1/analytics/pipeline');
    const open = year.opportunities.filter((o) => o.outcome === 'open');
    const last = (o: (typeof open)[number]) => o.stages[o.stages.length - 1];
    for (const currency of ['EUR', 'USD']) {
      const mine = open.filter((o) => o.currency === currency);
      expect(seriesOf(pipeline, `amount ${currency}`)).toEqual(
        sumBy(
          mine,
          (o) => last(o).stage,
          (o) => o.expectedAmount,
        ),
      );
      expect(seriesOf(pipeline, `weighted ${currency}`)).toEqual(
        sumBy(
          mine,
          (o) => last(o).stage,
          (o) => new Big(o.expectedAmount).times(last(o).p).toFixed(4),
        ),
      );
      expect(seriesOf(pipeline, `opportunities ${currency}`)).toEqual(countBy(mine, (o) => last(o).stage));
    }
    // The point-in-time answer for today is the current pipeline.
    const today = new Date().toISOString().slice(0, 10);
    expect((await get(`/api/v1/analytics/pipeline?asOf=${today}`)).series).toEqual(pipeline.series);
  });

  it('measures cycle times from the facts: median and p90 of capture → won and the first response', async () => {
    const body = await get(`/api/v1/analytics/cycle-time?${range}`);
    const q = (xs: number[], p: number) => {
      const s = [...xs].sort((a, b) => a - b);
      const pos = (s.length - 1) * p;
      return s[Math.floor(pos)] + (s[Math.ceil(pos)] - s[Math.floor(pos)]) * (pos - Math.floor(pos));
    };
    const hours = (ms: number) => ms / 3_600_000;
    const won = year.opportunities
      .filter((o) => o.outcome === 'won' && o.leadId)
      .map((o) => hours((o.closedAt as number) - (leadById.get(o.leadId as string)?.capturedAt as number)));
    const response = year.leads.filter((l) => l.firstFollowUpAt).map((l) => hours((l.firstFollowUpAt as number) - l.capturedAt));
    const row = (metric: string) => body.rows.find((r: { metric: string }) => r.metric === metric);
    expect(row('lead_captured_to_won')).toEqual({
      metric: 'lead_captured_to_won',
      count: won.length,
      medianHours: Math.round(q(won, 0.5) * 100) / 100,
      p90Hours: Math.round(q(won, 0.9) * 100) / 100,
    });
    expect(row('lead_response')).toMatchObject({ count: response.length, medianHours: Math.round(q(response, 0.5) * 100) / 100 });
  });

  it('applies each event once when delivered twice, and a rebuild from the topics gives identical figures', async () => {
    const before = await snapshotReadModel(svc);
    const sales = await get(`/api/v1/analytics/sales?groupBy=month&${range}`);
    const r = prng(7);
    const again = year.events.filter(() => r.chance(0.05));
    await publishMany(svc, again);
    await eventually(async () => expect(await consumed(svc, 'duplicate')).toBe(again.length), { timeoutMs: 30_000 });
    expect(await snapshotReadModel(svc)).toEqual(before);

    const result = await svc.app.get(RebuildService).rebuild(45_000);
    expect(result).toEqual({ applied: year.events.length, skipped: again.length, failed: 0 });
    expect(await snapshotReadModel(svc)).toEqual(before);
    expect(await get(`/api/v1/analytics/sales?groupBy=month&${range}`)).toEqual(sales);
    expect(await inboxCount(svc)).toBe(year.events.length);
  }, 90_000);
});
