import { randomUUID } from 'node:crypto';
import { historicalId } from '@crm/contracts';
import { eventually, queryRows, startSystem, type TestSystem } from '@crm/testing';

// A small history imported into leads, opportunities and orders, projected by analytics: monthly revenue and
// the funnel land in the months the records happened, not in the month of the import; inventory and finance
// take no stock and open no receivable for it. All six services as real processes, over HTTP only.
jest.setTimeout(300_000);

const integration = { sub: 'old-crm', roles: ['integration'] };
const admin = { sub: 'admin-1', roles: ['admin'] };
const repId = randomUUID();

const lead = (externalId: string, capturedAt: string, more: object = {}) => ({
  externalId,
  source: 'trade_show',
  name: `Buyer ${externalId}`,
  email: `${externalId.toLowerCase()}@buyer.example`,
  region: 'east',
  productInterest: 'pumps',
  capturedAt,
  ownerRepId: repId,
  ...more,
});
const pump = (quantity: number, unitPrice: string) => [{ sku: 'PUMP-200', productName: 'Pump 200 W', quantity, unitPrice }];
const deal = { customer: { name: 'Li Wei', company: 'Acme Trading' }, repId, team: 'east', region: 'east', currency: 'EUR' };
const shippedAndDone = (confirmedAt: string) => [
  { status: 'submitted', at: confirmedAt },
  { status: 'confirmed', at: confirmedAt },
  { status: 'allocated', at: confirmedAt },
];

describe('historical import placed in its real months by analytics (real Kafka and PostgreSQL)', () => {
  let system: TestSystem;
  const sql = (service: string, text: string, params: unknown[] = []) => queryRows(system.databases[service].url, text, params);
  const monthly = async (from: string, to: string) => {
    const { body } = await system.as(admin, 'analytics').get(`/api/v1/analytics/sales?groupBy=month&from=${from}&to=${to}&currency=EUR`).expect(200);
    // points by month (x is the month's first day); a currency with no figure in the range has no series
    const points = (measure: string) =>
      Object.fromEntries(
        (body.series.find((s: { measure: string }) => s.measure === measure)?.points ?? []).map((p: { x: string; y: unknown }) => [p.x.slice(0, 7), p.y]),
      );
    return { net: points('net'), confirmed: points('confirmed'), won: points('won'), leads: points('leads') };
  };

  beforeAll(async () => {
    system = await startSystem(['leads', 'opportunities', 'orders', 'inventory', 'finance', 'analytics'], { readyTimeoutMs: 240_000 });
    await system
      .as(admin, 'leads')
      .post('/api/v1/reps')
      .send({ id: repId, name: 'Rep East', email: 'east@crm.example', team: 'east', capacity: 50 })
      .expect(201);
  });
  afterAll(() => system?.stop());

  it('counts an order confirmed on 2025-03-15 in March 2025, and the funnel of a February lead in February', async () => {
    await system
      .as(integration, 'leads')
      .post('/api/v1/history/leads')
      .send({
        leads: [
          lead('L-1', '2025-02-10T09:00:00Z', {
            followUps: [{ at: '2025-02-11T09:00:00Z', channel: 'call', content: 'first call' }],
            qualifiedAt: '2025-02-20T09:00:00Z',
            convertedAt: '2025-03-01T09:00:00Z',
          }),
          lead('L-2', '2025-02-12T09:00:00Z', { disqualifiedAt: '2025-02-14T09:00:00Z', disqualifyReason: 'no budget' }),
          lead('L-3', '2025-04-02T09:00:00Z'),
        ],
      })
      .expect(200)
      .expect((r) => expect(r.body.imported).toBe(3));
    await system
      .as(integration, 'opportunities')
      .post('/api/v1/history/opportunities')
      .send({
        opportunities: [
          {
            ...deal,
            externalId: 'D-1',
            leadExternalId: 'L-1',
            expectedAmount: '2000.00',
            expectedCloseDate: '2025-03-31',
            createdAt: '2025-03-01T09:00:00Z',
            moves: [{ toStage: 'proposal', at: '2025-03-05T09:00:00Z' }],
            lines: pump(2, '1000.00'),
            outcome: 'won',
            closedAt: '2025-03-12T09:00:00Z',
          },
        ],
      })
      .expect(200);
    const orders = [
      {
        ...deal,
        externalId: 'SO-1',
        opportunityExternalId: 'D-1',
        lines: pump(2, '1000.00'),
        createdAt: '2025-03-13T09:00:00Z',
        statusChanges: shippedAndDone('2025-03-15T09:00:00Z'),
      },
      // Beijing time 2025-04-01 07:30 is 2025-03-31 23:30 UTC: a UTC month puts it in March.
      { ...deal, externalId: 'SO-2', lines: pump(1, '500.00'), createdAt: '2025-03-31T23:00:00Z', statusChanges: shippedAndDone('2025-03-31T23:30:00Z') },
      {
        ...deal,
        externalId: 'SO-3',
        lines: pump(3, '100.00'),
        createdAt: '2025-05-02T09:00:00Z',
        statusChanges: [...shippedAndDone('2025-05-02T10:00:00Z').slice(0, 2), { status: 'cancelled', at: '2025-06-03T09:00:00Z' }],
        cancelReason: 'customer withdrew',
      },
    ];
    await system.as(integration, 'orders').post('/api/v1/history/orders').send({ orders }).expect(200);

    const figures = await eventually(
      async () => {
        const m = await monthly('2025-01-01', '2025-06-30');
        expect(m.confirmed['2025-05']).toBe('300.00');
        expect(m.net['2025-06']).toBe('-300.00');
        expect(m.won['2025-03']).toBe(1);
        return m;
      },
      { timeoutMs: 90_000 },
    );
    expect(figures.net).toEqual({ '2025-01': '0.00', '2025-02': '0.00', '2025-03': '2500.00', '2025-04': '0.00', '2025-05': '300.00', '2025-06': '-300.00' });
    expect(figures.leads).toEqual({ '2025-01': 0, '2025-02': 2, '2025-03': 0, '2025-04': 1, '2025-05': 0, '2025-06': 0 });
    // nothing of it in the month of the import
    const now = new Date().toISOString().slice(0, 10);
    const today = await monthly(`${now.slice(0, 7)}-01`, now);
    expect(Object.values(today.confirmed).filter((y) => y !== '0.00')).toEqual([]);
    expect(Object.values(today.leads)).toEqual([0]);

    // The February cohort's funnel: two leads, one qualified, converted to an opportunity, won.
    const funnel = (await system.as(admin, 'analytics').get('/api/v1/analytics/funnel?from=2025-02-01&to=2025-02-28').expect(200)).body;
    const stages = Object.fromEntries(funnel.series[0].points.map((p: { x: string; y: number }) => [p.x, p.y]));
    expect(stages).toMatchObject({ lead: 2, qualified: 1, opportunity: 1, won: 1 });
    const march = (await system.as(admin, 'analytics').get('/api/v1/analytics/funnel?from=2025-03-01&to=2025-03-31').expect(200)).body;
    expect(march.series.flatMap((s: { points: { y: number }[] }) => s.points.map((p) => p.y)).every((y: number) => y === 0)).toBe(true);

    // Inventory and finance saw the historical confirmations and cancellation, and left them alone.
    const ids = orders.map((o) => historicalId('order', o.externalId));
    await eventually(
      async () => {
        for (const service of ['inventory', 'finance']) {
          const seen = await sql(service, `SELECT count(*)::int AS n FROM inbox WHERE event_type IN ('crm.order.confirmed', 'crm.order.cancelled')`);
          expect(seen[0].n).toBe(4);
        }
      },
      { timeoutMs: 60_000 },
    );
    expect(await sql('finance', 'SELECT order_id FROM receivables WHERE order_id = ANY($1::uuid[])', [ids])).toEqual([]);
    for (const table of ['order_allocations', 'backorders', 'stock_movements']) {
      expect(await sql('inventory', `SELECT order_id FROM ${table} WHERE order_id = ANY($1::uuid[])`, [ids])).toEqual([]);
    }
  });

  it('keeps forecasts for the imported months, made from the months before each', async () => {
    const res = await system
      .as(integration, 'analytics')
      .post('/api/v1/analytics/forecast/snapshots/backfill')
      .send({ from: '2025-02', to: '2025-06' })
      .expect(200);
    expect(res.body.stored).toBeGreaterThan(0);
    await system
      .as(integration, 'analytics')
      .post('/api/v1/analytics/forecast/snapshots/backfill')
      .send({ from: '2025-02', to: '2025-06' })
      .expect(200, { stored: 0 });
    const accuracy = (await system.as(admin, 'analytics').get('/api/v1/analytics/forecast/accuracy?currency=EUR').expect(200)).body;
    const rows = accuracy.rows.filter((r: { method: string }) => r.method === 'holt_winters');
    // the forecast made in April for April knows March (2500) and not April itself; April's actual is 0
    expect(rows.find((r: { madeMonth: string; targetMonth: string }) => r.madeMonth === '2025-04-01' && r.targetMonth === '2025-04-01')).toMatchObject({
      actual: '0',
    });
    expect(rows.find((r: { madeMonth: string; targetMonth: string }) => r.madeMonth === '2025-03-01' && r.targetMonth === '2025-03-01')).toMatchObject({
      actual: '2500.0000',
    });
    expect(accuracy.rows.some((r: { method: string }) => r.method === 'pipeline_weighted')).toBe(false);
    await system
      .as({ sub: randomUUID(), roles: ['sales_manager'], team: 'east' }, 'analytics')
      .post('/api/v1/analytics/forecast/snapshots/backfill')
      .send({ from: '2025-02', to: '2025-03' })
      .expect(403);
    const future = new Date().toISOString().slice(0, 7);
    await system.as(admin, 'analytics').post('/api/v1/analytics/forecast/snapshots/backfill').send({ from: '2025-02', to: future }).expect(400);
  });
});
