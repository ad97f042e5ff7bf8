import { randomUUID } from 'node:crypto';
import { createEvent } from '@crm/contracts';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { opportunitiesSettings } from '../opportunities.settings';

const leaver = { sub: randomUUID(), roles: ['sales_rep'], team: 'east' };
const taker = randomUUID();
const inactive = randomUUID();
const westRep = randomUUID();
const manager = { sub: randomUUID(), roles: ['sales_manager'], team: 'east' };
const westManager = { sub: randomUUID(), roles: ['sales_manager'], team: 'west' };
const admin = { sub: randomUUID(), roles: ['admin'] };
const reason = 'Li Wei moves to the west region';
const rep = (id: string, name: string, team: string, active: boolean, updatedAt = new Date().toISOString()) =>
  createEvent('rep.upserted', { subject: id, data: { repId: id, name, email: `${randomUUID()}@crm.example`, team, capacity: 10, active, updatedAt } });

describe('opportunities hand-over (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => svc.dataSource.query(sql, params) as Promise<T[]>;
  const fingerprint = () =>
    rows(`SELECT (SELECT string_agg(id || ':' || rep_id || ':' || version, ',' ORDER BY id) FROM opportunities) AS opportunities,
                 (SELECT count(*) FROM opportunity_hand_overs) AS moves, (SELECT count(*) FROM outbox) AS outbox`);
  const open = async () =>
    (
      await svc
        .as(leaver)
        .post('/api/v1/opportunities')
        .send({ customer: { name: 'Sun Li', company: 'Acme' }, currency: 'USD', expectedCloseDate: '2027-03-31', expectedAmount: '12000' })
        .expect(201)
    ).body as { id: string; version: number };
  const lost = async () => {
    const o = await open();
    await svc.as(leaver).post(`/api/v1/opportunities/${o.id}/lose`).send({ reason: 'budget frozen' }).expect(200);
    return o;
  };

  beforeAll(async () => {
    svc = await startTestService('opportunities', (config) => AppModule.forRoot(config), { settings: opportunitiesSettings });
    await svc.publish(
      rep(leaver.sub, 'Li Wei', 'east', true),
      rep(taker, 'Wang Fang', 'east', true),
      rep(inactive, 'Zhao Lei', 'east', true, '2026-12-01T00:00:00.000Z'),
      // Deactivated later; an older update arriving after it does not revive the rep.
      rep(inactive, 'Zhao Lei', 'east', false, '2026-12-02T00:00:00.000Z'),
      rep(inactive, 'Zhao Lei', 'east', true, '2026-11-30T00:00:00.000Z'),
      rep(westRep, 'Chen Jie', 'west', true),
    );
    await eventually(async () => expect((await rows('SELECT rep_id FROM reps')).length).toBe(4));
    await eventually(async () => expect(await rows('SELECT active FROM reps WHERE rep_id = $1', [inactive])).toEqual([{ active: false }]));
  });
  afterAll(() => svc?.close());

  it('hands one open opportunity over with its reason, and refuses an inactive or unknown rep, a closed deal, a missing reason, changing nothing', async () => {
    const o = await open();
    const closed = await lost();
    const url = `/api/v1/opportunities/${o.id}/hand-over`;
    const before = await fingerprint();

    const refused = await svc.as(manager).post(url).send({ toRepId: inactive, reason }).expect(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      code: 'REP_INACTIVE',
      detail: expect.stringContaining('Zhao Lei'),
      errors: [expect.objectContaining({ field: 'toRepId' })],
    });
    expect((await svc.as(manager).post(url).send({ toRepId: randomUUID(), reason }).expect(400)).body.code).toBe('UNKNOWN_REP');
    const closedRefused = await svc.as(admin).post(`/api/v1/opportunities/${closed.id}/hand-over`).send({ toRepId: taker, reason }).expect(409);
    expect(closedRefused.body).toMatchObject({ code: 'RECORD_CLOSED', detail: expect.stringContaining('lost') });
    const noReason = await svc.as(manager).post(url).send({ toRepId: taker, reason: ' ' }).expect(400);
    expect(new Set(noReason.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['reason']));
    await svc.as(leaver).post(url).send({ toRepId: taker, reason }).expect(403);
    await svc.as(westManager).post(url).send({ toRepId: westRep, reason }).expect(404);
    expect((await svc.as(manager).post(url).send({ toRepId: westRep, reason }).expect(403)).body.code).toBe('OTHER_TEAM');
    await svc.as(manager).post(url).set('if-match', '"99"').send({ toRepId: taker, reason }).expect(412);
    expect(await fingerprint()).toEqual(before);

    const moved = await svc.as(manager).post(url).set('if-match', `"${o.version}"`).send({ toRepId: taker, reason }).expect(200);
    expect(moved.body).toMatchObject({ id: o.id, repId: taker, team: 'east', status: 'open', version: o.version + 1 });
    expect(moved.headers.etag).toBe(`"${o.version + 1}"`);
    expect(await rows('SELECT from_rep_id, to_rep_id, reason, by FROM opportunity_hand_overs WHERE opportunity_id = $1', [o.id])).toEqual([
      { from_rep_id: leaver.sub, to_rep_id: taker, reason, by: manager.sub },
    ]);
    await eventually(async () => {
      const events = (await svc.published('opportunity.reassigned')).filter((e) => e.subject === o.id);
      expect(events.map((e) => e.data)).toEqual([
        { opportunityId: o.id, fromRepId: leaver.sub, toRepId: taker, team: 'east', reason, by: manager.sub, reassignedAt: expect.any(String) },
      ]);
    });
  });

  it("moves every open opportunity of the rep on rep.handed_over, each with its event, and leaves closed deals and other reps' alone", async () => {
    const [a, b, closed] = [await open(), await open(), await lost()];
    const handOverId = randomUUID();
    const handedOver = createEvent('rep.handed_over', {
      subject: leaver.sub,
      data: {
        handOverId,
        fromRepId: leaver.sub,
        toRepId: taker,
        toTeam: 'east',
        reason,
        kinds: ['opportunities'],
        leadsMoved: 0,
        by: admin.sub,
        at: new Date().toISOString(),
      },
    });
    // A hand-over of leads only moves no opportunity.
    const leadsOnly = createEvent('rep.handed_over', { subject: leaver.sub, data: { ...handedOver.data, handOverId: randomUUID(), kinds: ['leads'] } });
    await svc.publish(leadsOnly, handedOver, handedOver);
    await eventually(async () => {
      const owners = await rows<{ id: string; rep_id: string }>('SELECT id, rep_id FROM opportunities WHERE id = ANY($1::uuid[])', [[a.id, b.id, closed.id]]);
      expect(Object.fromEntries(owners.map((o) => [o.id, o.rep_id]))).toEqual({ [a.id]: taker, [b.id]: taker, [closed.id]: leaver.sub });
    });
    expect(await rows(`SELECT count(*)::int AS n FROM opportunities WHERE rep_id = $1 AND status = 'open'`, [leaver.sub])).toEqual([{ n: 0 }]);
    await eventually(async () => {
      const events = (await svc.published('opportunity.reassigned')).filter((e) => (e.data as { handOverId?: string }).handOverId === handOverId);
      expect(events.map((e) => e.subject).sort()).toEqual([a.id, b.id].sort());
      expect(events.every((e) => (e.data as { reason: string }).reason === reason)).toBe(true);
    });
  });
});
