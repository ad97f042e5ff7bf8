import { randomUUID } from 'node:crypto';
import { createEvent, historicalId } from '@crm/contracts';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { opportunitiesSettings } from '../opportunities.settings';

const admin = { sub: randomUUID(), roles: ['admin'] };
const integration = { sub: 'old-crm', roles: ['integration'] };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team: 'east' };
const rep = { sub: randomUUID(), roles: ['sales_rep'], team: 'east' };

const base = (externalId: string) => ({
  externalId,
  customer: { name: 'Li Wei', company: 'Acme Trading' },
  repId: rep.sub,
  team: 'east',
  region: 'east',
  productLine: 'pumps',
  expectedAmount: '12000.00',
  currency: 'EUR',
  expectedCloseDate: '2025-05-31',
  createdAt: '2025-03-15T10:00:00Z',
});
/** Opened from an imported lead in March 2025, moved twice, won in April with its lines. */
const won = (externalId: string) => ({
  ...base(externalId),
  leadExternalId: `lead-of-${externalId}`,
  moves: [
    { toStage: 'proposal', at: '2025-03-20T10:00:00Z' },
    { toStage: 'negotiation', at: '2025-04-01T10:00:00Z' },
  ],
  lines: [{ sku: 'PUMP-200', productName: 'Pump 200 W', quantity: 10, unitPrice: '1000.00', discount: '500.00' }],
  outcome: 'won',
  closedAt: '2025-04-10T10:00:00Z',
  paymentTerms: 'NET30',
});

describe('historical import of opportunities (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => svc.dataSource.query(sql, params) as Promise<T[]>;
  const post = (who: { sub: string; roles: string[] }, opportunities: object[]) => svc.as(who).post('/api/v1/history/opportunities').send({ opportunities });
  const eventsOf = async (id: string) =>
    (await Promise.all((['opportunity.created', 'opportunity.stage_changed', 'opportunity.won', 'opportunity.lost'] as const).map((n) => svc.published(n))))
      .flat()
      .filter((e) => e.subject === id);

  beforeAll(async () => {
    svc = await startTestService('opportunities', (config) => AppModule.forRoot(config), { settings: opportunitiesSettings });
  });
  afterAll(() => svc?.close());

  it('keeps the original dates of the opening, every stage move and the win, and publishes the win as historical', async () => {
    const res = await post(integration, [won('D-1')]).expect(200);
    const id = historicalId('opportunity', 'D-1');
    expect(res.body).toEqual({ imported: 1, alreadyImported: 0, records: [{ externalId: 'D-1', id, outcome: 'imported' }] });
    const [o] = await rows<Record<string, unknown>>('SELECT * FROM opportunities WHERE id = $1', [id]);
    expect(o).toMatchObject({ status: 'won', stage: 'won', lead_id: historicalId('lead', 'lead-of-D-1'), won_amount: '9500.0000' });
    expect((o.created_at as Date).toISOString()).toBe('2025-03-15T10:00:00.000Z');
    expect((o.closed_at as Date).toISOString()).toBe('2025-04-10T10:00:00.000Z');
    const history = await rows<{ from_stage: string | null; to_stage: string; at: Date }>(
      'SELECT from_stage, to_stage, at FROM stage_history WHERE opportunity_id = $1 ORDER BY at',
      [id],
    );
    expect(history.map((h) => [h.from_stage, h.to_stage, h.at.toISOString()])).toEqual([
      [null, 'needs_analysis', '2025-03-15T10:00:00.000Z'],
      ['needs_analysis', 'proposal', '2025-03-20T10:00:00.000Z'],
      ['proposal', 'negotiation', '2025-04-01T10:00:00.000Z'],
      ['negotiation', 'won', '2025-04-10T10:00:00.000Z'],
    ]);
    const events = await eventually(async () => {
      const found = await eventsOf(id);
      expect(found).toHaveLength(5);
      return found;
    });
    const times = (type: string) => events.filter((e) => e.type === `crm.${type}`).map((e) => e.time);
    expect(times('opportunity.created')).toEqual(['2025-03-15T10:00:00.000Z']);
    expect(times('opportunity.stage_changed').sort()).toEqual(['2025-03-20T10:00:00.000Z', '2025-04-01T10:00:00.000Z', '2025-04-10T10:00:00.000Z']);
    const win = events.find((e) => e.type === 'crm.opportunity.won')!;
    expect(win).toMatchObject({
      time: '2025-04-10T10:00:00.000Z',
      data: { wonAt: '2025-04-10T10:00:00.000Z', createdAt: '2025-03-15T10:00:00.000Z', amount: '9500.00', historical: true },
    });
    for (const e of events.filter((x) => x.type === 'crm.opportunity.stage_changed')) expect((e.data as { changedAt: string }).changedAt).toBe(e.time);
  });

  it('does nothing twice: the same file again stores and publishes nothing', async () => {
    const lost = { ...base('D-2'), outcome: 'lost', closedAt: '2025-04-02T00:00:00Z', lostReason: 'price', competitor: 'Rival' };
    await post(admin, [lost]).expect(200);
    const snapshot = () =>
      rows('SELECT (SELECT count(*) FROM opportunities) AS o, (SELECT count(*) FROM stage_history) AS h, (SELECT count(*) FROM outbox) AS outbox');
    const before = await snapshot();
    const res = await post(admin, [won('D-1'), lost]).expect(200);
    expect(res.body).toMatchObject({ imported: 0, alreadyImported: 2 });
    expect(await snapshot()).toEqual(before);
  });

  it('opens no opportunity for a historical conversion, while a live one still opens one', async () => {
    const convert = (leadId: string, historical?: true) =>
      createEvent('lead.converted', {
        subject: leadId,
        data: {
          leadId,
          repId: rep.sub,
          customer: { name: 'Chen' },
          productNeeds: [],
          capturedAt: '2025-01-01T00:00:00Z',
          convertedAt: '2025-01-05T00:00:00Z',
          historical,
        },
      });
    const [past, live] = [randomUUID(), randomUUID()];
    await svc.publish(convert(past, true), convert(live));
    await eventually(async () => expect(await rows('SELECT id FROM opportunities WHERE lead_id = $1', [live])).toHaveLength(1));
    expect(await rows('SELECT id FROM opportunities WHERE lead_id = $1', [past])).toEqual([]);
  });

  it('refuses a request with an invalid record whole, with field errors by record', async () => {
    const before = await rows('SELECT count(*)::int AS n FROM opportunities');
    const res = await post(admin, [
      base('D-3'),
      { ...won('D-4'), lines: undefined, moves: [{ toStage: 'won', at: '2025-03-01T00:00:00Z' }] },
      { ...base('D-5'), outcome: 'lost', closedAt: '2099-01-01T00:00:00Z' },
      { ...won('D-6'), leadExternalId: 'lead-of-D-1' },
    ])
      .expect(400)
      .expect('content-type', /application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'opportunities[1].lines',
        'opportunities[1].moves[0].toStage',
        'opportunities[1].moves[0].at',
        'opportunities[2].lostReason',
        'opportunities[2].closedAt',
        'opportunities[3].leadExternalId',
      ]),
    );
    expect(fields.some((f: string) => f.startsWith('opportunities[0]'))).toBe(false);
    const format = await post(admin, [{ ...base('D-7'), createdAt: 'yesterday', repId: 'nobody' }]).expect(400);
    expect(format.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['opportunities[0].createdAt', 'opportunities[0].repId']));
    expect(await rows('SELECT count(*)::int AS n FROM opportunities')).toEqual(before);
  });

  it('is for admins and integrations only', async () => {
    await post(manager, [base('D-8')]).expect(403);
    await post(rep, [base('D-8')]).expect(403);
    expect(await rows('SELECT id FROM opportunities WHERE id = $1', [historicalId('opportunity', 'D-8')])).toEqual([]);
  });
});
