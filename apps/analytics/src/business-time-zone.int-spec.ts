import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { analyticsSettings } from './analytics.settings';
import { AppModule } from './app.module';
import { RebuildService } from './projection/rebuild.service';
import { ADMIN, inboxCount, snapshotReadModel } from './testing/analytics-fixtures';

// Day, week, month and quarter totals follow the business time zone (CRM_TIMEZONE): the same events, on both
// sides of midnight in Beijing, bucketed by a service in Asia/Shanghai and by one in the default UTC.
const REP = randomUUID();
const events: EventEnvelope[] = [
  createEvent('rep.upserted', {
    subject: REP,
    data: { repId: REP, name: 'Wang Fang', email: 'wang.fang@crm.example', team: 'east', capacity: 10, active: true, updatedAt: '2026-01-01T00:00:00.000Z' },
  }),
];
function order(total: string, confirmedAt: string) {
  const orderId = randomUUID();
  events.push(
    createEvent('order.confirmed', {
      subject: orderId,
      data: {
        orderId,
        opportunityId: null,
        repId: REP,
        team: 'east',
        customer: { name: 'Hangzhou Pumps' },
        region: 'east-china',
        currency: 'CNY',
        paymentTerms: 'NET30',
        lines: [{ lineId: randomUUID(), sku: 'PUMP-1', productName: 'Pump', quantity: 1, unitPrice: total, discount: '0', lineTotal: total }],
        total,
        by: REP,
        autoConfirmed: false,
        confirmedAt: new Date(confirmedAt).toISOString(),
      },
    }),
  );
}
// 23:59:59 on Tuesday March 31 in Beijing (the end of Q1) and midnight of April 1 (Q2): both March 31 in UTC.
order('100.00', '2026-03-31T15:59:59Z');
order('10.00', '2026-03-31T16:00:00Z');
// Midnight of Monday April 6 in Beijing: still Sunday April 5, the week before, in UTC.
order('1.00', '2026-04-05T16:00:00Z');
const leadId = randomUUID();
events.push(
  createEvent('lead.captured', {
    subject: leadId,
    data: { leadId, source: 'web_form', contact: { name: 'Zhou Lin' }, region: 'east-china', capturedAt: '2026-03-31T16:00:00.000Z' },
  }),
);

interface Expected {
  name: string;
  zone: string | undefined;
  days: [string, string][];
  leadDay: string;
  weeks: [string, string][];
  months: [string, string][];
  quarters: [string, string][];
  q1: string;
  q2: string;
  april: string;
  attainment: string;
  quotaStartsAt: string;
}

const cases: Expected[] = [
  {
    name: 'Asia/Shanghai',
    zone: 'Asia/Shanghai',
    days: [
      ['2026-03-31', '100.00'],
      ['2026-04-01', '10.00'],
      ['2026-04-05', '0.00'],
      ['2026-04-06', '1.00'],
    ],
    leadDay: '2026-04-01',
    weeks: [
      ['2026-03-30', '110.00'],
      ['2026-04-06', '1.00'],
    ],
    months: [
      ['2026-03-01', '100.00'],
      ['2026-04-01', '11.00'],
    ],
    quarters: [
      ['2026-01-01', '100.00'],
      ['2026-04-01', '11.00'],
    ],
    q1: '100.00',
    q2: '11.00',
    april: '11.00',
    attainment: '0.5500',
    quotaStartsAt: '2026-03-31T16:00:00.000Z',
  },
  {
    name: 'unset (UTC)',
    zone: undefined,
    days: [
      ['2026-03-31', '110.00'],
      ['2026-04-01', '0.00'],
      ['2026-04-05', '1.00'],
      ['2026-04-06', '0.00'],
    ],
    leadDay: '2026-03-31',
    weeks: [
      ['2026-03-30', '111.00'],
      ['2026-04-06', '0.00'],
    ],
    months: [
      ['2026-03-01', '110.00'],
      ['2026-04-01', '1.00'],
    ],
    quarters: [
      ['2026-01-01', '110.00'],
      ['2026-04-01', '1.00'],
    ],
    q1: '110.00',
    q2: '1.00',
    april: '1.00',
    attainment: '0.0500',
    quotaStartsAt: '2026-04-01T00:00:00.000Z',
  },
];

describe.each(cases)('totals on both sides of midnight in Beijing, CRM_TIMEZONE $name (real Kafka and PostgreSQL)', (expected) => {
  let svc: TestService;
  const get = (url: string) => svc.as(ADMIN as never).get(url);
  const confirmed = async (query: string) => {
    const { body } = await get(`/api/v1/analytics/sales?currency=CNY&${query}`).expect(200);
    return body.series.find((s: { label: string }) => s.label === 'confirmed CNY').points.map((p: { x: string; y: string }) => [p.x, p.y]);
  };
  const kpi = async (period: string) => (await get(`/api/v1/analytics/kpis?period=${period}&currency=CNY`).expect(200)).body.rows[0];

  beforeAll(async () => {
    svc = await startTestService('analytics', (config) => AppModule.forRoot(config), {
      settings: analyticsSettings,
      env: expected.zone ? { CRM_TIMEZONE: expected.zone } : {},
    });
    await svc.publish(...events);
    await eventually(async () => expect(await inboxCount(svc)).toBe(events.length), { timeoutMs: 40_000 });
  }, 60_000);
  afterAll(() => svc?.close());

  it('puts each order on its business day, week (from Monday), month and quarter', async () => {
    const days = new Map(await confirmed('groupBy=day&from=2026-03-31&to=2026-04-06'));
    expect(expected.days.map(([x]) => [x, days.get(x)])).toEqual(expected.days);
    expect(await confirmed('groupBy=week&from=2026-03-30&to=2026-04-12')).toEqual(expected.weeks);
    // Whole months: read from the monthly rollup, which is built from the business days.
    expect(await confirmed('groupBy=month&from=2026-03-01&to=2026-04-30')).toEqual(expected.months);
    expect(await confirmed('groupBy=quarter&from=2026-01-01&to=2026-06-30')).toEqual(expected.quarters);
    const { body } = await get('/api/v1/analytics/sales?groupBy=day&from=2026-03-31&to=2026-04-01').expect(200);
    const leads = body.series.find((s: { label: string }) => s.label === 'leads').points;
    expect(leads.filter((p: { y: number }) => p.y === 1).map((p: { x: string }) => p.x)).toEqual([expected.leadDay]);
  });

  it('counts KPI revenue and quota attainment in the business quarter, and says when the quota period begins', async () => {
    const quota = await svc
      .as(ADMIN as never)
      .put(`/api/v1/quotas/2026-Q2/${REP}`)
      .send({ amount: '20.00', currency: 'CNY' })
      .expect(200);
    expect(quota.body).toMatchObject({ period: '2026-Q2', startsAt: expected.quotaStartsAt });
    expect(new Date(quota.body.endsAt).getTime() - new Date(quota.body.startsAt).getTime()).toBe(91 * 86_400_000);
    expect(await kpi('2026-Q1')).toMatchObject({ key: REP, revenue: expected.q1 });
    expect(await kpi('2026-Q2')).toMatchObject({
      key: REP,
      revenue: expected.q2,
      previousRevenue: expected.q1,
      quota: '20.00',
      attainment: expected.attainment,
    });
    expect(await kpi('2026-04')).toMatchObject({ key: REP, revenue: expected.april });
  });

  it('a rebuild from the topics buckets in the same zone: the same read model', async () => {
    const before = await snapshotReadModel(svc);
    const result = await svc.app.get(RebuildService).rebuild();
    expect(result.failed).toBe(0);
    expect(await snapshotReadModel(svc)).toEqual(before);
    expect(await confirmed('groupBy=quarter&from=2026-01-01&to=2026-06-30')).toEqual(expected.quarters);
  });
});
