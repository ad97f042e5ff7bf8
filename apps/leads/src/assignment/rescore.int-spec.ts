import { randomUUID } from 'node:crypto';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { leadsSettings } from '../leads.settings';

const admin = { sub: randomUUID(), roles: ['admin'] };
const integration = { sub: 'lead-scorer', roles: ['integration'] };
const HOUR = 3_600_000;

type Assignment = { kind: string; repId: string; previousRepId: string | null; reason: string };

describe('a change of lead quality score re-routes the lead across rule thresholds (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const teams: Record<string, string[]> = { east: [], key: [] };

  beforeAll(async () => {
    svc = await startTestService('leads', (config) => AppModule.forRoot(config), { settings: leadsSettings });
    for (const [team, n] of [
      ['east', 2],
      ['key', 2],
    ] as const) {
      for (let i = 0; i < n; i++) {
        const name = `${team}-${i}-${randomUUID().slice(0, 4)}`;
        const rep = await svc
          .as(admin)
          .post('/api/v1/reps')
          .send({ name, email: `${name}@crm.example`, team, capacity: 100 })
          .expect(201);
        teams[team].push(rep.body.id);
      }
    }
  });
  afterAll(() => svc?.close());

  const lead = async (id: string) => (await svc.as(admin).get(`/api/v1/leads/${id}`).expect(200)).body;
  const rescore = async (id: string, score: number) => {
    const { version } = await lead(id);
    return (await svc.as(admin).patch(`/api/v1/leads/${id}`).set('if-match', `"${version}"`).send({ score }).expect(200)).body;
  };

  it('refuses score bounds no score meets, naming the field', async () => {
    const res = await svc
      .as(admin)
      .post('/api/v1/assignment-rules')
      .send({ name: 'Nobody', position: 0, match: { minScore: 80, maxScore: 60 }, target: { kind: 'team', team: 'key' } })
      .expect(400);
    expect(JSON.stringify(res.body)).toContain('match.maxScore');
  });

  it('moves the lead to the new rule’s target with the reason recorded and published, and not when no threshold is crossed', async () => {
    await svc
      .as(admin)
      .post('/api/v1/assignment-rules')
      .send({ name: 'Hot', position: 1, match: { minScore: 70 }, target: { kind: 'team', team: 'key' }, followUpHours: 4 })
      .expect(201);
    await svc
      .as(admin)
      .post('/api/v1/assignment-rules')
      .send({ name: 'Warm', position: 2, target: { kind: 'team', team: 'east' } })
      .expect(201);

    const created = await svc.as(integration).post('/api/v1/leads').send({ name: 'Gao Yan', email: 'gao@yan.example', source: 'trade_show' }).expect(201);
    const { leadId } = created.body;
    const first = created.body.lead.ownerRepId as string;
    expect(teams.east).toContain(first);

    // 40 stays under the Hot threshold: same owner, no new assignment, nothing published.
    const under = await rescore(leadId, 40);
    expect(under).toMatchObject({ score: 40, ownerRepId: first, team: 'east' });
    expect((await lead(leadId)).assignments).toHaveLength(1);

    // 75 crosses it: the key-account team takes the lead with the Hot rule's 4-hour deadline.
    const hot = await rescore(leadId, 75);
    expect(hot).toMatchObject({ score: 75, team: 'key', status: 'assigned' });
    expect(teams.key).toContain(hot.ownerRepId);
    expect(new Date(hot.firstFollowUpDueAt).getTime() - new Date(hot.assignedAt).getTime()).toBe(4 * HOUR);
    const history: Assignment[] = (await lead(leadId)).assignments;
    expect(history.map((a) => [a.kind, a.previousRepId, a.repId])).toEqual([
      ['initial', null, first],
      ['quality', first, hot.ownerRepId],
    ]);
    expect(history[1].reason).toContain("score_changed: score 40 → 75, rule 'Warm' → rule 'Hot'");

    // Higher still, within Hot: no move. Back down to 30: crosses again, back to the east team.
    expect(await rescore(leadId, 95)).toMatchObject({ ownerRepId: hot.ownerRepId, team: 'key' });
    const cooled = await rescore(leadId, 30);
    expect(cooled).toMatchObject({ team: 'east' });
    expect((await lead(leadId)).assignments).toHaveLength(3);

    // Read back from the topic: one event per crossing, none for 40 or 95 (same partition, so in order).
    const events = await eventually(async () => {
      const found = (await svc.published('lead.reassigned')).filter((e) => e.subject === leadId);
      expect(found).toHaveLength(2);
      return found;
    });
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({
        fromRepId: first,
        toRepId: hot.ownerRepId,
        reason: 'score_changed',
        scoreChange: { from: 40, to: 75, previousRule: 'Warm', rule: 'Hot' },
        firstFollowUpDueAt: new Date(hot.firstFollowUpDueAt).toISOString(),
      }),
      expect.objectContaining({
        fromRepId: hot.ownerRepId,
        toRepId: cooled.ownerRepId,
        reason: 'score_changed',
        scoreChange: { from: 95, to: 30, previousRule: 'Hot', rule: 'Warm' },
      }),
    ]);
    const load = await svc.dataSource.query(`SELECT id, open_leads AS n FROM reps WHERE open_leads > 0`);
    expect(load).toEqual([{ id: cooled.ownerRepId, n: 1 }]);
  });

  it('leaves a closed lead where it is', async () => {
    const created = await svc.as(integration).post('/api/v1/leads').send({ name: 'Lu Qing', email: 'lu@qing.example', source: 'referral' }).expect(201);
    const { leadId } = created.body;
    const closed = await svc.as(admin).post(`/api/v1/leads/${leadId}/disqualify`).send({ reason: 'no_budget' }).expect(200);
    await svc.as(admin).patch(`/api/v1/leads/${leadId}`).set('if-match', `"${closed.body.version}"`).send({ score: 90 }).expect(409);
    expect(await lead(leadId)).toMatchObject({ status: 'disqualified', score: null, ownerRepId: created.body.lead.ownerRepId });
    expect((await lead(leadId)).assignments).toHaveLength(1);
  });
});
