import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { analyticsSettings } from '../analytics.settings';
import { AppModule } from '../app.module';
import { ADMIN, inboxCount } from '../testing/analytics-fixtures';

// Team alpha: A, B, C; team bravo: E. Every figure below is worked out by hand in the comments.
const A = randomUUID();
const B = randomUUID();
const C = randomUUID();
const E = randomUUID();
const TEAM: Record<string, string> = { [A]: 'alpha', [B]: 'alpha', [C]: 'alpha', [E]: 'bravo' };
const managerAlpha = { sub: randomUUID(), roles: ['sales_manager'], team: 'alpha' };
const repA = { sub: A, roles: ['sales_rep'], team: 'alpha' };
const repB = { sub: B, roles: ['sales_rep'], team: 'alpha' };
const repE = { sub: E, roles: ['sales_rep'], team: 'bravo' };
const at = (s: string) => new Date(s).toISOString();
const events: EventEnvelope[] = [];

for (const rep of [A, B, C, E]) {
  events.push(
    createEvent('rep.upserted', {
      subject: rep,
      data: {
        repId: rep,
        name: `Rep ${rep.slice(0, 4)}`,
        email: `${rep.slice(0, 8)}@crm.example`,
        team: TEAM[rep],
        capacity: 10,
        active: true,
        updatedAt: at('2026-01-01T00:00:00Z'),
      },
    }),
  );
}

/** A lead of the rep captured at `capturedAt`, then converted or disqualified at a time (or left open). */
function lead(repId: string, capturedAt: string, outcome?: ['converted' | 'disqualified', string]) {
  const leadId = randomUUID();
  events.push(
    createEvent('lead.captured', {
      subject: leadId,
      data: { leadId, source: 'web_form', contact: { name: 'Lee' }, region: 'north', capturedAt: at(capturedAt) },
    }),
    createEvent('lead.assigned', { subject: leadId, data: { leadId, repId, rule: 'region', assignedAt: at(capturedAt), firstFollowUpDueAt: at(capturedAt) } }),
  );
  const [kind, when] = outcome ?? [];
  if (kind === 'converted') {
    events.push(
      createEvent('lead.converted', {
        subject: leadId,
        data: { leadId, repId, customer: { name: 'Lee' }, capturedAt: at(capturedAt), convertedAt: at(when as string) },
      }),
    );
  }
  if (kind === 'disqualified') {
    events.push(createEvent('lead.disqualified', { subject: leadId, data: { leadId, by: repId, reason: 'no budget', disqualifiedAt: at(when as string) } }));
  }
}

function order(repId: string, total: string, confirmedAt: string, cancelledAt?: string) {
  const orderId = randomUUID();
  events.push(
    createEvent('order.confirmed', {
      subject: orderId,
      data: {
        orderId,
        opportunityId: null,
        repId,
        team: TEAM[repId],
        customer: { name: 'Acme' },
        region: 'north',
        currency: 'EUR',
        paymentTerms: 'NET30',
        lines: [{ lineId: randomUUID(), sku: 'PUMP-1', productName: 'Pump', quantity: 1, unitPrice: total, discount: '0', lineTotal: total }],
        total,
        by: repId,
        autoConfirmed: false,
        confirmedAt: at(confirmedAt),
      },
    }),
  );
  if (cancelledAt) {
    events.push(
      createEvent('order.cancelled', {
        subject: orderId,
        data: { orderId, previousStatus: 'confirmed', reason: 'changed mind', by: repId, cancelledAt: at(cancelledAt) },
      }),
    );
  }
}

// Leads decided in Q3 (on the day of the decision, whenever captured):
// A: converted 2 (one captured in Q2), disqualified 1 → 2/3 = 0.6667; a Q3 lead converted in Q4 does not count.
lead(A, '2026-06-20T10:00:00Z', ['converted', '2026-07-05T10:00:00Z']);
lead(A, '2026-07-02T10:00:00Z', ['converted', '2026-07-20T10:00:00Z']);
lead(A, '2026-07-03T10:00:00Z', ['disqualified', '2026-08-01T10:00:00Z']);
lead(A, '2026-09-10T10:00:00Z', ['converted', '2026-10-05T10:00:00Z']);
// B: 1 converted, 1 disqualified → 0.5000; an open lead is not in it. A Q2 decision is not either.
lead(B, '2026-07-04T10:00:00Z', ['converted', '2026-08-04T10:00:00Z']);
lead(B, '2026-07-05T10:00:00Z', ['disqualified', '2026-09-29T10:00:00Z']);
lead(B, '2026-08-06T10:00:00Z');
lead(B, '2026-05-06T10:00:00Z', ['converted', '2026-06-15T10:00:00Z']);
// C: 2 disqualified → 0.0000. E (bravo): 1 converted → 1.0000. Alpha: 3 converted / 7 decided = 0.4286.
lead(C, '2026-07-06T10:00:00Z', ['disqualified', '2026-07-16T10:00:00Z']);
lead(C, '2026-07-07T10:00:00Z', ['disqualified', '2026-07-17T10:00:00Z']);
lead(E, '2026-07-08T10:00:00Z', ['converted', '2026-07-18T10:00:00Z']);

// Q3 net bookings (EUR): A 12,345.67 (a cancelled order does not count), B 9,000.00, C 9,000.00, E 5,000.01.
order(A, '12000.00', '2026-07-10T10:00:00Z');
order(A, '345.67', '2026-09-15T10:00:00Z');
order(A, '1000.00', '2026-08-10T10:00:00Z', '2026-08-12T10:00:00Z');
order(B, '9000.00', '2026-08-20T10:00:00Z');
order(C, '9000.00', '2026-07-25T10:00:00Z');
order(C, '4000.00', '2026-10-02T10:00:00Z'); // Q4
order(E, '5000.01', '2026-08-01T12:00:00Z');

const ALPHA_PLAN = {
  currency: 'EUR',
  commission: {
    method: 'marginal',
    bands: [
      { from: '0', to: '0.8', rate: '0' },
      { from: '0.8', to: '1', rate: '0.05' },
      { from: '1', to: null, rate: '0.075' },
    ],
  },
  bonuses: [
    { metric: 'revenue', top: 2, amount: '300.00' },
    { metric: 'leadConversion', top: 1, amount: '100.50' },
  ],
};
const BRAVO_PLAN = {
  currency: 'EUR',
  commission: {
    method: 'whole',
    bands: [
      { from: '0', to: '1', rate: '0.02' },
      { from: '1', to: null, rate: '0.0333' },
    ],
  },
  bonuses: [],
};

describe('analytics: lead conversion rate and incentive plans (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const as = (who: object = ADMIN) => svc.as(who as never);
  const putPlan = (who: object, period: string, team: string, body: object, ifMatch?: string) => {
    const req = as(who).put(`/api/v1/incentive-plans/${period}/${team}`);
    return (ifMatch ? req.set('If-Match', ifMatch) : req).send(body);
  };

  beforeAll(async () => {
    svc = await startTestService('analytics', (config) => AppModule.forRoot(config), { settings: analyticsSettings });
    await svc.publish(...events);
    await eventually(async () => expect(await inboxCount(svc)).toBe(events.length), { timeoutMs: 40_000 });
    for (const [rep, amount] of [
      [A, '10000.00'],
      [B, '10000.00'],
      [E, '4000.00'],
    ])
      await as().put(`/api/v1/quotas/2026-Q3/${rep}`).send({ amount, currency: 'EUR' }).expect(200);
  }, 60_000);
  afterAll(() => svc?.close());

  it('shows the lead conversion rate per rep and team: converted ÷ (converted + disqualified) on the decision day', async () => {
    const kpis = async (by: string) => (await as().get(`/api/v1/analytics/kpis?period=2026-Q3&currency=EUR&by=${by}`).expect(200)).body.rows;
    const reps = Object.fromEntries((await kpis('rep')).map((r: { key: string }) => [r.key, r]));
    expect(reps[A]).toMatchObject({ leadsCaptured: 3, leadsConverted: 2, leadsDisqualified: 1, leadConversionRate: '0.6667' });
    expect(reps[B]).toMatchObject({ leadsCaptured: 3, leadsConverted: 1, leadsDisqualified: 1, leadConversionRate: '0.5000' });
    expect(reps[C]).toMatchObject({ leadsConverted: 0, leadsDisqualified: 2, leadConversionRate: '0.0000' });
    expect(reps[E]).toMatchObject({ leadsConverted: 1, leadsDisqualified: 0, leadConversionRate: '1.0000' });
    const teams = Object.fromEntries((await kpis('team')).map((r: { key: string }) => [r.key, r]));
    expect(teams.alpha).toMatchObject({ leadsConverted: 3, leadsDisqualified: 4, leadConversionRate: '0.4286' });
    const q2 = (await as().get('/api/v1/analytics/kpis?period=2026-06&currency=EUR').expect(200)).body.rows;
    expect(q2.find((r: { key: string }) => r.key === B)).toMatchObject({ leadsConverted: 1, leadConversionRate: '1.0000' });
  });

  it('ranks reps and teams by lead conversion', async () => {
    const ranked = async (by: string, who: object = ADMIN) =>
      (await as(who).get(`/api/v1/analytics/rankings?period=2026-Q3&currency=EUR&by=${by}&metric=leadConversion`).expect(200)).body.rows.map(
        (r: { key: string; rank: number | null; value: number | null }) => [r.key, r.rank, r.value],
      );
    expect(await ranked('rep')).toEqual([
      [E, 1, 1],
      [A, 2, 0.6667],
      [B, 3, 0.5],
      [C, 4, 0],
    ]);
    expect(await ranked('team')).toEqual([
      ['bravo', 1, 1],
      ['alpha', 2, 0.4286],
    ]);
    expect((await ranked('rep', managerAlpha)).map((r: unknown[]) => r.slice(0, 2))).toEqual([
      [A, 1],
      [B, 2],
      [C, 3],
    ]);
  });

  it('creates, reads, replaces (If-Match) and deletes plans; managers for their own team only', async () => {
    const created = await putPlan(managerAlpha, '2026-Q3', 'alpha', { ...ALPHA_PLAN, bonuses: [] }).expect(200);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({ period: '2026-Q3', team: 'alpha', version: 1, updatedBy: managerAlpha.sub, commission: ALPHA_PLAN.commission });
    expect((await putPlan(managerAlpha, '2026-Q3', 'alpha', ALPHA_PLAN).expect(409)).body.code).toBe('PLAN_EXISTS');
    expect((await putPlan(managerAlpha, '2026-Q3', 'alpha', ALPHA_PLAN, '"7"').expect(412)).body.code).toBe('PRECONDITION_FAILED');
    const replaced = await putPlan(managerAlpha, '2026-Q3', 'alpha', ALPHA_PLAN, '"1"').expect(200);
    expect(replaced.body).toMatchObject({ version: 2, bonuses: ALPHA_PLAN.bonuses });
    expect((await putPlan(managerAlpha, '2026-Q3', 'bravo', BRAVO_PLAN).expect(403)).body.code).toBe('TEAM_NOT_YOURS');
    await putPlan(repA, '2026-Q3', 'alpha', ALPHA_PLAN).expect(403);
    await putPlan(ADMIN, '2026-Q3', 'bravo', BRAVO_PLAN).expect(200);

    const read = await as(repA).get('/api/v1/incentive-plans/2026-Q3/alpha').expect(200);
    expect(read.headers.etag).toBe('"2"');
    await as(repA).get('/api/v1/incentive-plans/2026-Q3/bravo').expect(404);
    const teams = async (who: object) =>
      (await as(who).get('/api/v1/incentive-plans?period=2026-Q3').expect(200)).body.rows.map((p: { team: string }) => p.team);
    expect(await teams(ADMIN)).toEqual(['alpha', 'bravo']);
    expect(await teams(managerAlpha)).toEqual(['alpha']);
    expect(await teams(repE)).toEqual(['bravo']);

    await putPlan(managerAlpha, '2026-Q4', 'alpha', BRAVO_PLAN).expect(200);
    await as(managerAlpha).delete('/api/v1/incentive-plans/2026-Q4/alpha').expect(428);
    await as(managerAlpha).delete('/api/v1/incentive-plans/2026-Q4/alpha').set('If-Match', '"2"').expect(412);
    await as(managerAlpha).delete('/api/v1/incentive-plans/2026-Q4/alpha').set('If-Match', '"1"').expect(204);
    await as(managerAlpha).get('/api/v1/incentive-plans/2026-Q4/alpha').expect(404);
  });

  it('refuses overlapping or gapped bands, rates out of bounds and bad shapes with field errors, storing nothing', async () => {
    const fields = (res: { body: { errors: { field: string; constraint: string }[] } }) => res.body.errors.map((e) => `${e.field}:${e.constraint}`).sort();
    const overlap = await putPlan(ADMIN, '2026-Q2', 'alpha', {
      currency: 'EUR',
      commission: {
        method: 'marginal',
        bands: [
          { from: '0', to: '1', rate: '0.05' },
          { from: '0.9', to: '1.5', rate: '1.5' },
          { from: '1.6', to: null, rate: '0.1' },
        ],
      },
      bonuses: [{ metric: 'revenue', top: 1, amount: '10.001' }],
    }).expect(400);
    expect(overlap.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(fields(overlap)).toEqual([
      'bonuses[0].amount:isCents',
      'commission.bands[1].from:bandsContiguous',
      'commission.bands[1].rate:isRate',
      'commission.bands[2].from:bandsContiguous',
    ]);
    const shape = await putPlan(ADMIN, '2026-Q2', 'alpha', {
      currency: 'euro',
      commission: { method: 'tiered', bands: [{ from: '0', to: null, rate: '0.1' }] },
      bonuses: [{ metric: 'luck', top: 0, amount: '1.00' }],
      version: 3,
    }).expect(400);
    expect(fields(shape)).toEqual([
      'bonuses[0].metric:isIn',
      'bonuses[0].top:min',
      'commission.method:isIn',
      'currency:matches',
      'version:whitelistValidation',
    ]);
    expect((await putPlan(ADMIN, '2026-Q9', 'alpha', BRAVO_PLAN).expect(400)).body.errors[0].field).toBe('period');
    expect((await as().get('/api/v1/incentive-plans?period=2026-Q2').expect(200)).body.rows).toEqual([]);
  });

  it('computes each rep’s incentive from the scorecard’s figures, to the cent, and shows it in the rep report', async () => {
    const rows = async (who: object) =>
      Object.fromEntries((await as(who).get('/api/v1/incentives?period=2026-Q3').expect(200)).body.rows.map((r: { repId: string }) => [r.repId, r]));
    const all = await rows(ADMIN);
    expect(Object.keys(all).sort()).toEqual([A, B, C, E].sort());
    // A: 12,345.67 of 10,000 → 2,000 × 0.05 + 2,345.67 × 0.075 = 100 + 175.92525 = 275.93; top 2 by revenue (1st) 300.00,
    // top 1 by lead conversion in alpha (0.6667, 1st) 100.50.
    expect(all[A]).toMatchObject({ revenue: '12345.67', quota: '10000.00', attainment: '1.2346', commission: '275.93', bonus: '400.50', total: '676.43' });
    expect(all[A].band).toEqual({ from: '1', to: null, rate: '0.075' });
    expect(all[A].bonuses.map((b: { rank: number; earned: string }) => [b.rank, b.earned])).toEqual([
      [1, '300.00'],
      [1, '100.50'],
    ]);
    // B: 9,000 of 10,000 → 1,000 × 0.05 = 50.00; revenue tied 2nd with C: both earn the top-2 bonus.
    expect(all[B]).toMatchObject({ commission: '50.00', bonus: '300.00', total: '350.00', planVersion: 2 });
    expect(all[B].bonuses[0]).toMatchObject({ rank: 2, earned: '300.00' });
    // C: no quota, no commission; the revenue bonus only.
    expect(all[C]).toMatchObject({ quota: null, commission: '0.00', bonus: '300.00', total: '300.00' });
    // E (bravo, whole): 5,000.01 of 4,000 → the ≥ 100 % rate on everything: 5,000.01 × 0.0333 = 166.500333 → 166.50.
    expect(all[E]).toMatchObject({ commission: '166.50', bonus: '0.00', total: '166.50' });

    expect(Object.keys(await rows(managerAlpha)).sort()).toEqual([A, B, C].sort());
    const own = await rows(repA);
    expect(Object.keys(own)).toEqual([A]);
    expect(own[A]).toEqual(all[A]);
    // Ranked in the whole team, not among what the rep may see: alone, B would be 1st by lead conversion (+100.50).
    expect((await rows(repB))[B]).toEqual(all[B]);

    const report = (await as(managerAlpha).get(`/api/v1/analytics/reps/${A}/report?period=2026-Q3&currency=EUR`).expect(200)).body;
    expect(report.kpis).toMatchObject({ leadConversionRate: '0.6667' });
    expect(report.ranks).toMatchObject({ revenue: 1, leadConversion: 1 });
    expect(report.incentive).toEqual(all[A]);
    const ownReport = (await as(repA).get(`/api/v1/analytics/reps/${A}/report?period=2026-Q3&currency=EUR`).expect(200)).body;
    expect(ownReport.incentive).toEqual(all[A]);
    const noPlan = (await as().get(`/api/v1/analytics/reps/${A}/report?period=2026-Q2&currency=EUR`).expect(200)).body;
    expect(noPlan.incentive).toBeNull();
  });
});
