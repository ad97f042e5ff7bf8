import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { analyticsSettings } from './analytics.settings';
import { AppModule } from './app.module';
import { ForecastSnapshotJob } from './forecast/forecast-snapshot.job';
import { ADMIN, inboxCount } from './testing/analytics-fixtures';

const A: string = randomUUID(); // team alpha
const B: string = randomUUID(); // team alpha
const C: string = randomUUID(); // team bravo
const D: string = randomUUID(); // team charlie: the point-in-time deal
const TEAM_OF: Record<string, string> = { [A]: 'alpha', [B]: 'alpha', [C]: 'bravo', [D]: 'charlie' };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team: 'alpha' };
const repA = { sub: A, roles: ['sales_rep'], team: 'alpha' };

const events: EventEnvelope[] = [];
const at = (s: string) => new Date(s).toISOString();

function order(
  repId: string,
  total: string,
  confirmedAt: string,
  opts: { currency?: string; cancelledAt?: string; ratings?: number[]; onHold?: boolean; overdue?: boolean } = {},
) {
  const orderId = randomUUID();
  const currency = opts.currency ?? 'EUR';
  events.push(
    createEvent('order.confirmed', {
      subject: orderId,
      data: {
        orderId,
        opportunityId: null,
        repId,
        team: TEAM_OF[repId],
        customer: { name: 'Acme' },
        region: 'north',
        currency,
        paymentTerms: 'NET30',
        lines: [{ lineId: randomUUID(), sku: 'PUMP-1', productName: 'Pump', quantity: 1, unitPrice: total, discount: '0', lineTotal: total }],
        total,
        by: repId,
        autoConfirmed: false,
        confirmedAt: at(confirmedAt),
      },
    }),
  );
  if (opts.cancelledAt) {
    events.push(
      createEvent('order.cancelled', {
        subject: orderId,
        data: { orderId, previousStatus: 'confirmed', reason: 'no longer needed', by: repId, cancelledAt: at(opts.cancelledAt) },
      }),
    );
  }
  for (const rating of opts.ratings ?? []) {
    events.push(
      createEvent('order.feedback_received', {
        subject: orderId,
        data: { orderId, feedbackId: randomUUID(), repId, rating, category: 'service', complaint: rating < 3, receivedAt: at(confirmedAt) },
      }),
    );
  }
  if (opts.onHold) events.push(createEvent('order.on_hold', { subject: orderId, data: { orderId, repId, reason: 'stock short', at: at(confirmedAt) } }));
  if (opts.overdue) {
    const receivableId = randomUUID();
    events.push(
      createEvent('receivable.created', {
        subject: receivableId,
        data: { receivableId, orderId, amount: total, currency, paymentTerms: 'NET30', dueDate: '2026-08-01', createdAt: at(confirmedAt) },
      }),
    );
    events.push(
      createEvent('payment.received', {
        subject: receivableId,
        data: { paymentId: randomUUID(), receivableId, orderId, amount: '100.00', currency, outstanding: '800.00', receivedAt: at(confirmedAt) },
      }),
    );
    events.push(
      createEvent('receivable.overdue', {
        subject: receivableId,
        data: { receivableId, orderId, outstanding: '800.00', currency, dueDate: '2026-08-01', daysOverdue: 3, detectedAt: at('2026-08-04T06:00:00Z') },
      }),
    );
  }
}

function opportunity(
  repId: string,
  o: { amount: string; stage: string; p: number; close: string; currency?: string; createdAt?: string; outcome?: ['won' | 'lost', string] },
) {
  const opportunityId = randomUUID();
  const createdAt = at(o.createdAt ?? '2026-06-01T09:00:00Z');
  events.push(
    createEvent('opportunity.created', {
      subject: opportunityId,
      data: {
        opportunityId,
        leadId: null,
        repId,
        team: TEAM_OF[repId],
        customer: { name: 'Acme' },
        region: 'north',
        productLine: 'pumps',
        expectedAmount: o.amount,
        currency: o.currency ?? 'EUR',
        expectedCloseDate: o.close,
        stage: o.stage,
        winProbability: o.p,
        createdAt,
      },
    }),
  );
  const [outcome, when] = o.outcome ?? [];
  if (outcome === 'lost')
    events.push(
      createEvent('opportunity.lost', { subject: opportunityId, data: { opportunityId, repId, stage: o.stage, reason: 'price', lostAt: at(when as string) } }),
    );
  if (outcome === 'won') {
    events.push(
      createEvent('opportunity.won', {
        subject: opportunityId,
        data: {
          opportunityId,
          leadId: null,
          repId,
          customer: { name: 'Acme' },
          currency: o.currency ?? 'EUR',
          amount: o.amount,
          lines: [{ sku: 'PUMP-1', productName: 'Pump', quantity: 1, unitPrice: o.amount, discount: '0' }],
          createdAt,
          wonAt: at(when as string),
        },
      }),
    );
  }
}

function lead(repId: string, capturedAt: string, followUps: string[]) {
  const leadId = randomUUID();
  events.push(
    createEvent('lead.captured', {
      subject: leadId,
      data: { leadId, source: 'web_form', contact: { name: 'Lee' }, region: 'north', capturedAt: at(capturedAt) },
    }),
  );
  events.push(
    createEvent('lead.assigned', { subject: leadId, data: { leadId, repId, rule: 'region', assignedAt: at(capturedAt), firstFollowUpDueAt: at(capturedAt) } }),
  );
  for (const f of followUps)
    events.push(
      createEvent('lead.followed_up', { subject: leadId, data: { leadId, followUpId: randomUUID(), repId, channel: 'call', at: at(f), content: 'hello' } }),
    );
  return leadId;
}

// ---- the fixture
for (const rep of [A, B, C, D]) {
  events.push(
    createEvent('rep.upserted', {
      subject: rep,
      data: {
        repId: rep,
        name: `Rep ${rep.slice(0, 4)}`,
        email: `${rep.slice(0, 8)}@crm.example`,
        team: TEAM_OF[rep],
        capacity: 10,
        active: true,
        updatedAt: at('2026-01-01T00:00:00Z'),
      },
    }),
  );
}
// Revenue: A 1000.00 → 1800.50 (+0.8005), B 2000.00 → 1500.00 (−0.25, a cancelled order does not count), C 0 → 900.00 (no growth rate).
order(A, '1000.00', '2026-05-10T10:00:00Z');
order(A, '1500.00', '2026-07-02T10:00:00Z', { ratings: [4, 5] });
order(A, '300.50', '2026-09-30T23:59:00Z');
order(A, '5000.00', '2026-08-01T10:00:00Z', { currency: 'USD' });
order(B, '2000.00', '2026-04-01T10:00:00Z');
order(B, '1500.00', '2026-08-15T10:00:00Z', { ratings: [2] });
order(B, '500.00', '2026-08-16T10:00:00Z', { cancelledAt: '2026-08-20T10:00:00Z' });
order(C, '900.00', '2026-07-20T10:00:00Z', { onHold: true, overdue: true });
order(C, '50.00', '2026-10-01T00:00:00Z'); // Q4: outside the period
order(C, '75.25', new Date(Date.now() - 60_000).toISOString()); // this month, for the gauge
// Deals closed in Q3: A 3 won / 1 lost, B 1 / 1, C 0 / 2.
for (const [rep, won, lost] of [
  [A, 3, 1],
  [B, 1, 1],
  [C, 0, 2],
] as const) {
  for (let i = 0; i < won; i++)
    opportunity(rep, { amount: '100.00', stage: 'negotiation', p: 0.7, close: '2026-08-01', outcome: ['won', '2026-08-10T10:00:00Z'] });
  for (let i = 0; i < lost; i++)
    opportunity(rep, { amount: '100.00', stage: 'proposal', p: 0.5, close: '2026-08-01', outcome: ['lost', '2026-08-11T10:00:00Z'] });
}
// Open deals for the pipeline forecast from 2026-07 (history to 2026-06).
opportunity(A, { amount: '10000.00', stage: 'negotiation', p: 0.7, close: '2026-07-15' }); // best case
opportunity(B, { amount: '5000.00', stage: 'contract', p: 0.6, close: '2026-08-01' }); // commit by stage
opportunity(C, { amount: '2000.10', stage: 'proposal', p: 0.85, close: '2026-05-20' }); // commit, slipped: counts in July
opportunity(A, { amount: '999.99', stage: 'qualification', p: 0.1, close: '2026-09-30' }); // pipeline only
opportunity(B, { amount: '7777.00', stage: 'proposal', p: 0.3, close: '2026-12-01' }); // beyond the horizon
opportunity(A, { amount: '3333.00', stage: 'proposal', p: 0.9, close: '2026-07-01', currency: 'USD' }); // another currency
// Response times of A's leads in Q3: 2 h and 4 h → 3 h on average.
lead(A, '2026-07-01T08:00:00Z', ['2026-07-01T10:00:00Z', '2026-07-02T10:00:00Z']);
lead(A, '2026-07-03T08:00:00Z', ['2026-07-03T12:00:00Z']);
lead(B, new Date(Date.now() - 2 * 3_600_000).toISOString(), []); // open, captured 2 h ago
// Point in time (GBP, rep D): a lead captured 06-10, qualified 06-12, converted into an opportunity 06-14
// (qualification), moved to proposal 06-18, won 06-25.
const funnelLead = lead(D, '2026-06-10T09:00:00Z', []);
const pitOpp = randomUUID();
events.push(createEvent('lead.qualified', { subject: funnelLead, data: { leadId: funnelLead, by: D, qualifiedAt: at('2026-06-12T09:00:00Z') } }));
events.push(
  createEvent('lead.converted', {
    subject: funnelLead,
    data: { leadId: funnelLead, repId: D, customer: { name: 'Pit' }, capturedAt: at('2026-06-10T09:00:00Z'), convertedAt: at('2026-06-14T09:00:00Z') },
  }),
);
events.push(
  createEvent('opportunity.created', {
    subject: pitOpp,
    data: {
      opportunityId: pitOpp,
      leadId: funnelLead,
      repId: D,
      customer: { name: 'Pit' },
      expectedAmount: '4000.00',
      currency: 'GBP',
      expectedCloseDate: '2026-07-01',
      stage: 'qualification',
      winProbability: 0.2,
      createdAt: at('2026-06-14T09:00:00Z'),
    },
  }),
);
events.push(
  createEvent('opportunity.stage_changed', {
    subject: pitOpp,
    data: {
      opportunityId: pitOpp,
      repId: D,
      fromStage: 'qualification',
      toStage: 'proposal',
      winProbability: 0.5,
      by: D,
      changedAt: at('2026-06-18T09:00:00Z'),
    },
  }),
);
events.push(
  createEvent('opportunity.won', {
    subject: pitOpp,
    data: {
      opportunityId: pitOpp,
      leadId: funnelLead,
      repId: D,
      customer: { name: 'Pit' },
      currency: 'GBP',
      amount: '4000.00',
      lines: [{ sku: 'PUMP-1', productName: 'Pump', quantity: 1, unitPrice: '4000.00', discount: '0' }],
      createdAt: at('2026-06-14T09:00:00Z'),
      wonAt: at('2026-06-25T09:00:00Z'),
    },
  }),
);

describe('analytics API: KPIs, rankings, quotas, forecasts, point in time, gauges (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const get = (url: string, who: object = ADMIN) => svc.as(who as never).get(url);

  beforeAll(async () => {
    svc = await startTestService('analytics', (config) => AppModule.forRoot(config), { settings: analyticsSettings });
    await svc.publish(...events);
    await eventually(async () => expect(await inboxCount(svc)).toBe(events.length), { timeoutMs: 40_000 });
    await svc
      .as(ADMIN as never)
      .put(`/api/v1/quotas/2026-Q3/${A}`)
      .send({ amount: '2000.00', currency: 'EUR' })
      .expect(200);
    await svc
      .as(manager as never)
      .put(`/api/v1/quotas/2026-Q3/${B}`)
      .send({ amount: '1000', currency: 'EUR' })
      .expect(200);
  }, 60_000);
  afterAll(() => svc?.close());

  it('computes revenue, growth, quota attainment, win rate, response time and satisfaction per rep', async () => {
    const { body } = await get('/api/v1/analytics/kpis?period=2026-Q3&currency=EUR').expect(200);
    expect(body.period).toMatchObject({ start: '2026-07-01', end: '2026-10-01', previous: '2026-Q2' });
    const row = (rep: string) => body.rows.find((r: { key: string }) => r.key === rep);
    expect(row(A)).toMatchObject({
      team: 'alpha',
      revenue: '1800.50',
      previousRevenue: '1000.00',
      growthRate: '0.8005',
      quota: '2000.00',
      attainment: '0.9002', // 0.90025, half-even
      won: 3,
      lost: 1,
      winRate: '0.7500',
      averageDealSize: '100.00',
      leadsAnswered: 2,
      averageResponseHours: 3,
      feedbackCount: 2,
      satisfaction: 4.5,
      complaints: 0,
    });
    expect(row(B)).toMatchObject({
      revenue: '1500.00',
      previousRevenue: '2000.00',
      growthRate: '-0.2500',
      quota: '1000.00',
      attainment: '1.5000',
      winRate: '0.5000',
      satisfaction: 2,
      complaints: 1,
    });
    expect(row(C)).toMatchObject({
      revenue: '900.00',
      previousRevenue: '0.00',
      growthRate: null,
      quota: null,
      attainment: null,
      won: 0,
      lost: 2,
      winRate: '0.0000',
    });

    const teams = (await get('/api/v1/analytics/kpis?period=2026-Q3&currency=EUR&by=team').expect(200)).body.rows;
    expect(teams.find((r: { key: string }) => r.key === 'alpha')).toMatchObject({
      revenue: '3300.50',
      previousRevenue: '3000.00',
      growthRate: '0.1002',
      quota: '3000.00',
      attainment: '1.1002',
      won: 4,
      lost: 2,
      winRate: '0.6667',
    });
    const usd = (await get('/api/v1/analytics/kpis?period=2026-Q3&currency=USD').expect(200)).body.rows;
    expect(usd.find((r: { key: string }) => r.key === A)).toMatchObject({ revenue: '5000.00', quota: null });
  });

  it('ranks reps by a KPI (no value: unranked), limits a manager to their team and a rep to themselves', async () => {
    const ranked = async (metric: string, who: object = ADMIN) =>
      (await get(`/api/v1/analytics/rankings?period=2026-Q3&currency=EUR&metric=${metric}`, who).expect(200)).body.rows
        .filter((r: { key: string }) => [A, B, C].includes(r.key))
        .map((r: { key: string; rank: number | null }) => [r.key, r.rank]);
    expect(await ranked('revenue')).toEqual([
      [A, 1],
      [B, 2],
      [C, 3],
    ]);
    expect(await ranked('winRate')).toEqual([
      [A, 1],
      [B, 2],
      [C, 3],
    ]);
    expect(await ranked('growth')).toEqual([
      [A, 1],
      [B, 2],
      [C, null],
    ]);
    expect(await ranked('attainment')).toEqual([
      [B, 1],
      [A, 2],
      [C, null],
    ]);
    expect(await ranked('revenue', manager)).toEqual([
      [A, 1],
      [B, 2],
    ]);
    const own = (await get('/api/v1/analytics/kpis?period=2026-Q3&currency=EUR', repA).expect(200)).body.rows;
    expect(own.map((r: { key: string }) => r.key)).toEqual([A]);

    const report = (await get(`/api/v1/analytics/reps/${B}/report?period=2026-Q3&currency=EUR`, manager).expect(200)).body;
    expect(report).toMatchObject({ repId: B, team: 'alpha', kpis: { revenue: '1500.00' }, ranks: { revenue: 2, attainment: 1 } });
    expect(report.series[0].points).toEqual([
      { x: '2026-07-01', y: '0.00' },
      { x: '2026-08-01', y: '1500.00' },
      { x: '2026-09-01', y: '0.00' },
    ]);
    await get(`/api/v1/analytics/reps/${C}/report?period=2026-Q3&currency=EUR`, manager).expect(404);
  });

  it('forecasts the pipeline by close month: commit and best case unweighted, the pipeline weighted, as summed by hand', async () => {
    const { body } = await get('/api/v1/analytics/forecast?horizon=3&currency=EUR&historyEnd=2026-06').expect(200);
    const pts = (measure: string) => body.series.find((s: { measure: string }) => s.measure === measure).points;
    expect(pts('pipeline_commit')).toEqual([
      { x: '2026-07-01', y: '2000.10' },
      { x: '2026-08-01', y: '5000.00' },
      { x: '2026-09-01', y: '0.00' },
    ]);
    expect(pts('pipeline_best_case')).toEqual([
      { x: '2026-07-01', y: '12000.10' },
      { x: '2026-08-01', y: '5000.00' },
      { x: '2026-09-01', y: '0.00' },
    ]);
    // 10000 × 0.7 + 2000.10 × 0.85 = 8700.085; 5000 × 0.6 = 3000; 999.99 × 0.1 = 99.999
    expect(pts('pipeline_weighted')).toEqual([
      { x: '2026-07-01', y: '8700.085' },
      { x: '2026-08-01', y: '3000.00' },
      { x: '2026-09-01', y: '99.999' },
    ]);
    expect(pts('actual')).toEqual([
      { x: '2026-04-01', y: '2000.00' },
      { x: '2026-05-01', y: '1000.00' },
      { x: '2026-06-01', y: '0.00' },
    ]);
    expect(body.model.method).toBe('holt_linear'); // three months: not enough for seasonality
    expect(pts('forecast')).toHaveLength(3);
  });

  it('keeps forecast snapshots once a month and scores them against the closed months (MAPE)', async () => {
    const job = svc.app.get(ForecastSnapshotJob);
    expect(await job.snapshot(new Date('2026-07-15T01:00:00Z'))).toBe(12); // 3 months × (Holt-Winters, pipeline) × (EUR, USD)…
    expect(await job.snapshot(new Date('2026-07-16T01:00:00Z'))).toBe(0); // …and the next day adds nothing
    const accuracy = await job.accuracy('EUR', new Date('2026-10-05T00:00:00Z'));
    const pipeline = accuracy.rows.filter((r) => r.method === 'pipeline_weighted');
    // Actual net bookings: July 1500 + 900 = 2400; August 1500 + 500 − 500 = 1500; September 300.50.
    expect(pipeline.map((r) => [r.targetMonth, r.forecast, r.actual])).toEqual([
      ['2026-07-01', '8700.0850', '2400.0000'],
      ['2026-08-01', '3000.0000', '1500.0000'],
      ['2026-09-01', '99.9990', '300.5000'],
    ]);
    const expected = ((Math.abs(2400 - 8700.085) / 2400 + Math.abs(1500 - 3000) / 1500 + Math.abs(300.5 - 99.999) / 300.5) / 3) * 100;
    expect(accuracy.summary.find((s) => s.method === 'pipeline_weighted')).toEqual({
      method: 'pipeline_weighted',
      periods: 3,
      mape: Math.round(expected * 100) / 100,
    });
    const http = await get('/api/v1/analytics/forecast/accuracy?currency=EUR').expect(200);
    expect(http.body.rows).toHaveLength(6); // today every target month has closed
  });

  it('answers the funnel and the pipeline as they stood on a past date, from the history', async () => {
    const funnel = async (asOf: string) =>
      (await get(`/api/v1/analytics/funnel?from=2026-06-10&to=2026-06-10&asOf=${asOf}`).expect(200)).body.series[0].points.map((p: { y: number }) => p.y);
    expect(await funnel('2026-06-11')).toEqual([1, 0, 0, 0, 0]);
    expect(await funnel('2026-06-15')).toEqual([1, 1, 1, 0, 0]);
    expect(await funnel('2026-06-30')).toEqual([1, 1, 1, 1, 0]);
    const pipeline = async (asOf: string) => {
      const { body } = await get(`/api/v1/analytics/pipeline?currency=GBP&asOf=${asOf}`).expect(200);
      expect(body.pointInTime).toBe(asOf);
      return body.series
        .filter((s: { measure: string }) => s.measure !== 'opportunities')
        .map((s: { label: string; points: unknown[] }) => [s.label, s.points]);
    };
    expect(await pipeline('2026-06-13')).toEqual([]);
    expect(await pipeline('2026-06-15')).toEqual([
      ['amount GBP', [{ x: 'qualification', y: '4000.00' }]],
      ['weighted GBP', [{ x: 'qualification', y: '800.00' }]],
    ]);
    expect(await pipeline('2026-06-20')).toEqual([
      ['amount GBP', [{ x: 'proposal', y: '4000.00' }]],
      ['weighted GBP', [{ x: 'proposal', y: '2000.00' }]],
    ]);
    expect(await pipeline('2026-06-26')).toEqual([]);
  });

  it('exposes business gauges with bounded labels on /metrics', async () => {
    const { text } = await request(svc.app.getHttpServer()).get('/metrics').expect(200);
    expect(text).toMatch(/crm_analytics_pipeline_value\{stage="negotiation",currency="EUR",kind="raw",service="analytics"\} 10000\n/);
    expect(text).toMatch(/crm_analytics_pipeline_value\{stage="negotiation",currency="EUR",kind="weighted",service="analytics"\} 7000\n/);
    expect(text).toMatch(/crm_analytics_orders_on_hold\{service="analytics"\} 1\n/);
    expect(text).toMatch(/crm_analytics_receivables_overdue\{currency="EUR",service="analytics"\} 1\n/);
    expect(text).toMatch(/crm_analytics_receivables_overdue_amount\{currency="EUR",service="analytics"\} 800\n/);
    expect(text).toMatch(/crm_analytics_open_leads\{age_bucket="lt_1d",service="analytics"\} 1\n/);
    expect(text).toMatch(/crm_analytics_open_leads\{age_bucket="gt_30d",service="analytics"\} 2\n/);
    expect(text).toMatch(/crm_analytics_revenue_this_month\{currency="EUR",service="analytics"\} 75.25\n/);
  });

  it('sets quotas only as admin or the manager of the rep, with validated input', async () => {
    const put = (who: object, period: string, rep: string, body: object) =>
      svc
        .as(who as never)
        .put(`/api/v1/quotas/${period}/${rep}`)
        .send(body);
    const again = await put(ADMIN, '2026-Q3', A, { amount: '2500.00', currency: 'EUR' }).expect(200);
    expect(again.body).toMatchObject({ period: '2026-Q3', repId: A, amount: '2500.00', currency: 'EUR', version: 2, updatedBy: ADMIN.sub });
    await put(repA, '2026-Q3', A, { amount: '1.00', currency: 'EUR' }).expect(403);
    expect((await put(manager, '2026-Q3', C, { amount: '1.00', currency: 'EUR' }).expect(403)).body.code).toBe('REP_NOT_IN_TEAM');
    const bad = await put(ADMIN, '2026-Q3', A, { amount: '0', currency: 'euro', extra: 1 }).expect(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.body.errors.map((e: { field: string; constraint: string }) => `${e.field}:${e.constraint}`).sort()).toEqual([
      'amount:isPositiveAmount',
      'currency:matches',
      'extra:whitelistValidation',
    ]);
    expect((await put(ADMIN, '2026-Q5', A, { amount: '1', currency: 'EUR' }).expect(400)).body.errors[0].field).toBe('period');
    const listed = await get('/api/v1/quotas?period=2026-Q3', manager).expect(200);
    expect(listed.body.rows.map((r: { repId: string; amount: string }) => [r.repId, r.amount]).sort()).toEqual(
      [
        [A, '2500.00'],
        [B, '1000.00'],
      ].sort(),
    );
  });

  it('filters every dashboard figure by team: an admin any team, a manager only their own (403 for another)', async () => {
    const keys = (rows: { key: string }[]) => rows.map((r) => r.key).filter((k) => [A, B, C].includes(k));
    expect(keys((await get('/api/v1/analytics/kpis?period=2026-Q3&currency=EUR&team=bravo').expect(200)).body.rows)).toEqual([C]);
    expect(keys((await get('/api/v1/analytics/rankings?period=2026-Q3&currency=EUR&team=alpha').expect(200)).body.rows).sort()).toEqual([A, B].sort());
    const salesXs = async (team: string, who: object = ADMIN) =>
      (await get(`/api/v1/analytics/sales?groupBy=team&from=2026-07-01&to=2026-09-30&currency=EUR&team=${team}`, who).expect(200)).body.series
        .find((s: { label: string }) => s.label === 'confirmed EUR')
        .points.map((pt: { x: string }) => pt.x);
    expect(await salesXs('bravo')).toEqual(['bravo']);
    expect(await salesXs('alpha', manager)).toEqual(['alpha']);
    const funnel = (await get('/api/v1/analytics/funnel?groupBy=team&from=2026-01-01&to=2026-12-31&team=charlie').expect(200)).body;
    expect(funnel.series.map((s: { label: string }) => s.label).filter((l: string) => l !== 'all')).toEqual(expect.not.arrayContaining(['alpha', 'bravo']));
    await get('/api/v1/analytics/cycle-time?from=2026-01-01&to=2026-12-31&team=alpha', manager).expect(200);
    const bravoForecast = (await get('/api/v1/analytics/forecast?horizon=3&currency=EUR&historyEnd=2026-06&team=bravo').expect(200)).body;
    const allForecast = (await get('/api/v1/analytics/forecast?horizon=3&currency=EUR&historyEnd=2026-06').expect(200)).body;
    const commit = (b: { series: { measure: string; points: { y: string }[] }[] }) => b.series.find((s) => s.measure === 'pipeline_commit')!.points;
    expect(commit(bravoForecast)).not.toEqual(commit(allForecast));
    await get('/api/v1/incentives?period=2026-Q3&team=alpha', manager).expect(200);
    for (const url of [
      '/api/v1/analytics/kpis?period=2026-Q3&currency=EUR&team=bravo',
      '/api/v1/analytics/sales?team=bravo',
      '/api/v1/analytics/funnel?team=bravo',
      '/api/v1/analytics/cycle-time?team=bravo',
      '/api/v1/analytics/forecast?currency=EUR&team=bravo',
      '/api/v1/incentives?period=2026-Q3&team=bravo',
    ]) {
      expect((await get(url, manager).expect(403)).body.code).toBe('TEAM_NOT_YOURS');
    }
    expect((await get(`/api/v1/analytics/sales?team=${'x'.repeat(101)}`).expect(400)).body.errors.map((e: { field: string }) => e.field)).toEqual(['team']);
    for (const bad of ['%20%20', '%00east']) {
      expect(
        (await get(`/api/v1/analytics/kpis?period=2026-Q3&currency=EUR&team=${bad}`).expect(400)).body.errors.map((e: { field: string }) => e.field),
      ).toEqual(['team']);
    }
  });

  it('rejects bad queries with field errors and answers only authenticated callers', async () => {
    const errors = async (url: string) => [...new Set((await get(url).expect(400)).body.errors.map((e: { field: string }) => e.field))].sort();
    expect(await errors('/api/v1/analytics/kpis?period=2026-Q9')).toEqual(['currency', 'period']);
    expect(await errors('/api/v1/analytics/sales?groupBy=hour&from=2026-02-30')).toEqual(['from', 'groupBy']);
    expect(await errors('/api/v1/analytics/forecast?currency=EUR&horizon=99')).toEqual(['horizon']);
    expect(await errors('/api/v1/analytics/pipeline?asOf=yesterday')).toEqual(['asOf']);
    await request(svc.app.getHttpServer()).get('/api/v1/analytics/sales').expect(401);
    const sales = (await get('/api/v1/analytics/sales?groupBy=rep&from=2026-07-01&to=2026-09-30&currency=EUR', manager).expect(200)).body;
    expect(
      sales.series
        .find((s: { label: string }) => s.label === 'confirmed EUR')
        .points.map((p: { x: string }) => p.x)
        .sort(),
    ).toEqual([A, B].sort());
  });
});
