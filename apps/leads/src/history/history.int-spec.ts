import { randomUUID } from 'node:crypto';
import { historicalId } from '@crm/contracts';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { leadsSettings } from '../leads.settings';

const admin = { sub: randomUUID(), roles: ['admin'] };
const integration = { sub: 'old-crm', roles: ['integration'] };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team: 'east' };
const rep = { sub: randomUUID(), roles: ['sales_rep'], team: 'east' };

/** A lead of 2025, captured, assigned, followed up twice, qualified and converted, each on its own day. */
const converted = (externalId: string) => ({
  externalId,
  source: 'trade_show',
  name: 'Li Wei',
  email: `${externalId}@acme.example`,
  region: 'east',
  productInterest: 'pumps',
  capturedAt: '2025-03-01T08:00:00Z',
  ownerRepId: rep.sub,
  assignedAt: '2025-03-01T09:00:00Z',
  followUps: [
    { at: '2025-03-05T10:00:00Z', channel: 'meeting', content: 'visited the plant' },
    { at: '2025-03-02T10:00:00Z', channel: 'call', content: 'first call' },
  ],
  qualifiedAt: '2025-03-10T10:00:00Z',
  convertedAt: '2025-03-15T10:00:00Z',
});
/** Captured and assigned in 2025, never followed up: long past any follow-up deadline. */
const untouched = (externalId: string) => ({
  externalId,
  source: 'phone',
  name: 'Zhang San',
  phone: '+86 138 0013 8000',
  capturedAt: '2025-01-20T08:00:00Z',
  ownerRepId: rep.sub,
});

describe('historical import of leads (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => svc.dataSource.query(sql, params) as Promise<T[]>;
  const post = (who: { sub: string; roles: string[] }, leads: object[]) => svc.as(who).post('/api/v1/history/leads').send({ leads });

  beforeAll(async () => {
    svc = await startTestService('leads', (config) => AppModule.forRoot(config), { settings: leadsSettings });
    await svc.as(admin).post('/api/v1/reps').send({ id: rep.sub, name: 'Rep', email: 'rep@crm.example', team: 'east', capacity: 10 }).expect(201);
  });
  afterAll(() => svc?.close());

  it('keeps the original dates on the lead, its follow-ups and every event, and publishes the conversion as historical', async () => {
    const res = await post(integration, [converted('L-1')]).expect(200);
    const id = historicalId('lead', 'L-1');
    expect(res.body).toEqual({ imported: 1, alreadyImported: 0, records: [{ externalId: 'L-1', id, outcome: 'imported' }] });

    const [lead] = await rows<Record<string, Date | string | null>>('SELECT * FROM leads WHERE id = $1', [id]);
    expect(lead).toMatchObject({ status: 'converted', owner_rep_id: rep.sub, team: 'east', first_follow_up_due_at: null });
    expect((lead.created_at as Date).toISOString()).toBe('2025-03-01T08:00:00.000Z');
    expect((lead.first_followed_up_at as Date).toISOString()).toBe('2025-03-02T10:00:00.000Z');
    expect((lead.converted_at as Date).toISOString()).toBe('2025-03-15T10:00:00.000Z');
    const followUps = await rows<{ at: Date }>('SELECT at FROM follow_ups WHERE lead_id = $1 ORDER BY at', [id]);
    expect(followUps.map((f) => f.at.toISOString())).toEqual(['2025-03-02T10:00:00.000Z', '2025-03-05T10:00:00.000Z']);

    const events = await eventually(async () => {
      const all = (
        await Promise.all((['lead.captured', 'lead.assigned', 'lead.followed_up', 'lead.qualified', 'lead.converted'] as const).map((n) => svc.published(n)))
      )
        .flat()
        .filter((e) => e.subject === id);
      expect(all).toHaveLength(6);
      return all;
    });
    const byType = (t: string) => events.filter((e) => e.type === `crm.${t}`);
    expect(byType('lead.captured')[0]).toMatchObject({ time: '2025-03-01T08:00:00.000Z', data: { capturedAt: '2025-03-01T08:00:00.000Z' } });
    expect(byType('lead.assigned')[0]).toMatchObject({ time: '2025-03-01T09:00:00.000Z', data: { assignedAt: '2025-03-01T09:00:00.000Z' } });
    expect(
      byType('lead.followed_up')
        .map((e) => e.time)
        .sort(),
    ).toEqual(['2025-03-02T10:00:00.000Z', '2025-03-05T10:00:00.000Z']);
    expect(byType('lead.qualified')[0]).toMatchObject({ time: '2025-03-10T10:00:00.000Z', data: { qualifiedAt: '2025-03-10T10:00:00.000Z' } });
    expect(byType('lead.converted')[0]).toMatchObject({
      time: '2025-03-15T10:00:00.000Z',
      data: { convertedAt: '2025-03-15T10:00:00.000Z', historical: true },
    });
  });

  it('does nothing twice: the same file again stores and publishes nothing', async () => {
    await post(admin, [untouched('L-2')]).expect(200);
    const before = await rows('SELECT (SELECT count(*) FROM leads) AS leads, (SELECT count(*) FROM follow_ups) AS f, (SELECT count(*) FROM outbox) AS outbox');
    const res = await post(admin, [converted('L-1'), untouched('L-2')]).expect(200);
    expect(res.body).toMatchObject({ imported: 0, alreadyImported: 2 });
    expect(res.body.records.map((r: { outcome: string }) => r.outcome)).toEqual(['already_imported', 'already_imported']);
    expect(await rows('SELECT (SELECT count(*) FROM leads) AS leads, (SELECT count(*) FROM follow_ups) AS f, (SELECT count(*) FROM outbox) AS outbox')).toEqual(
      before,
    );
  });

  it('never re-assigns an imported lead for a missed follow-up, and counts an open one in its owner’s load', async () => {
    const [lead] = await rows<{ status: string; first_follow_up_due_at: Date | null }>('SELECT status, first_follow_up_due_at FROM leads WHERE id = $1', [
      historicalId('lead', 'L-2'),
    ]);
    expect(lead).toEqual({ status: 'assigned', first_follow_up_due_at: null });
    // The SLA job's own query: leads whose first follow-up is overdue now.
    const overdue = await rows(`SELECT id FROM leads WHERE status = 'assigned' AND first_followed_up_at IS NULL AND first_follow_up_due_at <= now()`);
    expect(overdue).toEqual([]);
    const [{ open_leads }] = await rows<{ open_leads: number }>('SELECT open_leads FROM reps WHERE id = $1', [rep.sub]);
    expect(open_leads).toBe(1);
  });

  it('refuses a request with an invalid record whole, with problem+json field errors by record', async () => {
    const before = await rows('SELECT count(*)::int AS n FROM leads');
    const bad = {
      ...converted('L-3'),
      qualifiedAt: '2025-02-01T00:00:00Z', // before capture
      followUps: [{ at: '2099-01-01T00:00:00Z', channel: 'call', content: 'from the future' }],
    };
    const res = await post(admin, [untouched('L-4'), bad, { ...untouched('L-5'), ownerRepId: randomUUID() }, { ...untouched('L-4') }, { externalId: 'L-6' }])
      .expect(400)
      .expect('content-type', /application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    // field formats are checked first, for every record
    expect(fields).toEqual(expect.arrayContaining(['leads[4].source', 'leads[4].capturedAt', 'leads[4].name']));
    expect(fields.some((f: string) => f.startsWith('leads[0]'))).toBe(false);
    // then the rules of each record (dates in order, none in the future, known owner, one record per external id)
    const rules = await post(admin, [untouched('L-4'), bad, { ...untouched('L-5'), ownerRepId: randomUUID() }, untouched('L-4')]).expect(400);
    expect(rules.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['leads[1].qualifiedAt', 'leads[1].followUps[0].at', 'leads[2].ownerRepId', 'leads[3].externalId']),
    );
    expect(await rows('SELECT count(*)::int AS n FROM leads')).toEqual(before);
  });

  it('is for admins and integrations only', async () => {
    await post(manager, [untouched('L-7')]).expect(403);
    await post(rep, [untouched('L-7')]).expect(403);
    expect(await rows('SELECT id FROM leads WHERE id = $1', [historicalId('lead', 'L-7')])).toEqual([]);
  });

  it('bounds the size of one import', async () => {
    const many = Array.from({ length: 501 }, (_, i) => untouched(`M-${i}`));
    const res = await post(admin, many).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('leads');
  });

  it('refuses a record that is not an object (a nested array once reached the import as a 500)', async () => {
    const res = await post(admin, [[], 'L-8'] as unknown as object[]).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('leads');
  });
});
