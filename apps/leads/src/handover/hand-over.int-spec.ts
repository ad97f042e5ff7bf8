import { randomUUID } from 'node:crypto';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { leadsSettings } from '../leads.settings';

const admin = { sub: randomUUID(), roles: ['admin'] };
const eastManager = { sub: randomUUID(), roles: ['sales_manager'], team: 'east' };
const westManager = { sub: randomUUID(), roles: ['sales_manager'], team: 'west' };
const leaver = randomUUID();
const taker = randomUUID();
const inactive = randomUUID();
const westRep = randomUUID();
const reason = 'Li Wei moves to the west region';

describe('leads hand-over (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => svc.dataSource.query(sql, params) as Promise<T[]>;
  const load = async (repId: string) => (await rows<{ open_leads: number }>('SELECT open_leads FROM reps WHERE id = $1', [repId]))[0].open_leads;
  /** What a refusal must leave as it was. */
  const fingerprint = () =>
    rows(`SELECT (SELECT string_agg(id || ':' || owner_rep_id || ':' || version, ',' ORDER BY id) FROM leads) AS leads,
                 (SELECT count(*) FROM assignments) AS assignments, (SELECT string_agg(id || ':' || open_leads, ',' ORDER BY id) FROM reps) AS load,
                 (SELECT count(*) FROM outbox) AS outbox, (SELECT count(*) FROM hand_overs) AS hand_overs`);
  const capture = async (name: string) =>
    (
      await svc
        .as(admin)
        .post('/api/v1/leads')
        .send({ name, email: `${randomUUID()}@acme.example`, company: 'Acme', source: 'phone' })
        .expect(201)
    ).body.lead as { id: string; ownerRepId: string; version: number };

  beforeAll(async () => {
    svc = await startTestService('leads', (config) => AppModule.forRoot(config), { settings: leadsSettings });
    for (const [id, name, team, active] of [
      [leaver, 'Li Wei', 'east', true],
      [taker, 'Wang Fang', 'east', true],
      [inactive, 'Zhao Lei', 'east', false],
      [westRep, 'Chen Jie', 'west', true],
    ] as const) {
      await svc
        .as(admin)
        .post('/api/v1/reps')
        .send({ id, name, email: `${randomUUID()}@crm.example`, team, capacity: 50, active })
        .expect(201);
    }
    // Every new lead goes to the rep who will leave.
    await svc
      .as(admin)
      .post('/api/v1/assignment-rules')
      .send({ name: 'All to Li', position: 1, target: { kind: 'rep', repId: leaver } })
      .expect(201);
  });
  afterAll(() => svc?.close());

  it('hands one lead over with its reason, and refuses an inactive or unknown rep, a closed lead, a missing reason and a stale ETag, changing nothing', async () => {
    const lead = await capture('Sun Li');
    const closed = await capture('Zhou Min');
    await svc.as(admin).post(`/api/v1/leads/${closed.id}/disqualify`).send({ reason: 'no_budget' }).expect(200);
    const before = await fingerprint();
    const url = `/api/v1/leads/${lead.id}/hand-over`;

    const refused = await svc.as(eastManager).post(url).send({ toRepId: inactive, reason }).expect(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      code: 'REP_INACTIVE',
      detail: expect.stringContaining('Zhao Lei'),
      errors: [expect.objectContaining({ field: 'toRepId' })],
    });
    expect((await svc.as(admin).post(url).send({ toRepId: randomUUID(), reason }).expect(400)).body.code).toBe('UNKNOWN_REP');
    const closedRefused = await svc.as(admin).post(`/api/v1/leads/${closed.id}/hand-over`).send({ toRepId: taker, reason }).expect(409);
    expect(closedRefused.body).toMatchObject({ code: 'RECORD_CLOSED', detail: expect.stringContaining('disqualified') });
    for (const body of [{ toRepId: taker }, { toRepId: taker, reason: '   ' }, { toRepId: taker, reason: 'x'.repeat(501) }]) {
      const bad = await svc.as(admin).post(url).send(body).expect(400);
      expect(new Set(bad.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['reason']));
    }
    expect((await svc.as(westManager).post(url).send({ toRepId: westRep, reason }).expect(404)).body.code).toBe('NOT_FOUND');
    expect((await svc.as(eastManager).post(url).send({ toRepId: westRep, reason }).expect(403)).body.code).toBe('OTHER_TEAM');
    await svc
      .as(admin)
      .post(url)
      .set('if-match', `"${lead.version + 5}"`)
      .send({ toRepId: taker, reason })
      .expect(412);
    expect(await fingerprint()).toEqual(before);

    const [leaverLoad, takerLoad] = [await load(leaver), await load(taker)];
    const moved = await svc
      .as(eastManager)
      .post(url)
      .set('if-match', `"${lead.version}"`)
      .send({ toRepId: taker, reason: `  ${reason}  ` })
      .expect(200);
    expect(moved.body).toMatchObject({ id: lead.id, ownerRepId: taker, team: 'east', version: lead.version + 1 });
    expect(moved.headers.etag).toBe(`"${lead.version + 1}"`);
    expect([await load(leaver), await load(taker)]).toEqual([leaverLoad - 1, takerLoad + 1]);
    const [history] = await rows<{ kind: string; reason: string }>(`SELECT kind, reason FROM assignments WHERE lead_id = $1 ORDER BY id DESC LIMIT 1`, [
      lead.id,
    ]);
    expect(history).toEqual({ kind: 'hand_over', reason: `handed over by ${eastManager.sub}: ${reason}` });
    await eventually(async () => {
      const events = (await svc.published('lead.reassigned')).filter((e) => e.subject === lead.id);
      expect(events.map((e) => e.data)).toEqual([
        expect.objectContaining({ fromRepId: leaver, toRepId: taker, reason: 'manual', note: reason, by: eastManager.sub }),
      ]);
    });
    expect((await svc.as(admin).post(url).send({ toRepId: taker, reason }).expect(409)).body.code).toBe('ALREADY_OWNER');
  });

  it("hands all of a rep's open leads over in one go, publishes rep.handed_over, and refuses an inactive rep changing nothing", async () => {
    const open = [await capture('Wu Gang'), await capture('Qian Yu')];
    const closed = await capture('Feng Yi');
    await svc.as(admin).post(`/api/v1/leads/${closed.id}/disqualify`).send({ reason: 'spam' }).expect(200);
    const url = `/api/v1/reps/${leaver}/hand-over`;

    const before = await fingerprint();
    const refused = await svc.as(admin).post(url).send({ toRepId: inactive, reason }).expect(409);
    expect(refused.body).toMatchObject({ code: 'REP_INACTIVE', errors: [expect.objectContaining({ field: 'toRepId' })] });
    await svc.as(admin).post(url).send({ toRepId: leaver, reason }).expect(400);
    await svc
      .as(admin)
      .post(url)
      .send({ toRepId: taker, reason, kinds: ['leads', 'invoices'] })
      .expect(400);
    await svc.as(admin).post(`/api/v1/reps/${randomUUID()}/hand-over`).send({ toRepId: taker, reason }).expect(404);
    expect((await svc.as(westManager).post(url).send({ toRepId: westRep, reason }).expect(403)).body.code).toBe('OTHER_TEAM');
    expect(await fingerprint()).toEqual(before);

    // The rep leaves first: a hand-over from an inactive rep is what happens most.
    const rep = (await svc.as(admin).get(`/api/v1/reps/${leaver}`).expect(200)).body;
    await svc.as(admin).patch(`/api/v1/reps/${leaver}`).set('if-match', `"${rep.version}"`).send({ active: false }).expect(200);
    const openOfLeaver = await rows<{ id: string }>(`SELECT id FROM leads WHERE owner_rep_id = $1 AND status NOT IN ('disqualified', 'converted')`, [leaver]);
    expect(openOfLeaver.map((l) => l.id)).toEqual(expect.arrayContaining(open.map((l) => l.id)));

    const done = await svc.as(eastManager).post(url).send({ toRepId: taker, reason }).expect(202);
    expect(done.body).toMatchObject({
      fromRepId: leaver,
      toRepId: taker,
      reason,
      kinds: ['leads', 'opportunities', 'orders'],
      leadsMoved: openOfLeaver.length,
    });
    const owners = await rows<{ id: string; owner_rep_id: string }>('SELECT id, owner_rep_id FROM leads WHERE id = ANY($1::uuid[])', [
      [...open, closed].map((l) => l.id),
    ]);
    expect(Object.fromEntries(owners.map((o) => [o.id, o.owner_rep_id]))).toEqual({ [open[0].id]: taker, [open[1].id]: taker, [closed.id]: leaver });
    expect(await load(leaver)).toBe(0);
    expect((await svc.as(eastManager).get(`/api/v1/hand-overs/${done.body.id}`).expect(200)).body).toMatchObject({
      id: done.body.id,
      leadsMoved: openOfLeaver.length,
    });
    await svc.as(westManager).get(`/api/v1/hand-overs/${done.body.id}`).expect(404);

    await eventually(async () => {
      const [handedOver] = (await svc.published('rep.handed_over')).filter((e) => e.subject === leaver);
      expect(handedOver.data).toMatchObject({
        handOverId: done.body.id,
        fromRepId: leaver,
        toRepId: taker,
        toTeam: 'east',
        reason,
        leadsMoved: openOfLeaver.length,
      });
      const reassigned = (await svc.published('lead.reassigned')).filter((e) => (e.data as { handOverId?: string }).handOverId === done.body.id);
      expect(reassigned.map((e) => e.subject).sort()).toEqual(openOfLeaver.map((l) => l.id).sort());
      expect(reassigned.every((e) => (e.data as { note?: string }).note === reason)).toBe(true);
    });
  });
});
