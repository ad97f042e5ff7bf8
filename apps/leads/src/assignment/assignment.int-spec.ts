import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MetricsRegistry } from '@crm/observability';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { leadsSettings } from '../leads.settings';
import { AssignmentRepository } from './assignment.repository';
import { AssignmentService } from './assignment.service';
import { SlaReassignmentJob } from './sla.job';

const admin = { sub: randomUUID(), roles: ['admin'] };
const integration = { sub: 'website-bridge', roles: ['integration'] };

type Rep = { id: string; team: string; capacity: number };

describe('lead assignment under load, and SLA re-assignment (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => svc.dataSource.query(sql, params) as Promise<T[]>;
  const count = async (sql: string, params: unknown[] = []) => Number((await rows<{ n: string }>(sql, params))[0].n);

  async function rep(team: string, capacity: number, name = `${team}-${capacity}-${randomUUID().slice(0, 4)}`): Promise<Rep> {
    const res = await svc
      .as(admin)
      .post('/api/v1/reps')
      .send({ name, email: `${name}@crm.example`, team, capacity })
      .expect(201);
    return { id: res.body.id, team, capacity };
  }
  const rule = (body: object) => svc.as(admin).post('/api/v1/assignment-rules').send(body).expect(201);

  beforeAll(async () => {
    svc = await startTestService('leads', (config) => AppModule.forRoot(config), { settings: leadsSettings });
    // One server for all requests, instead of supertest opening one per request.
    await svc.app.listen(0, '127.0.0.1');
  });
  afterAll(() => svc?.close());

  it('refuses a rule without a target as a 400 naming the field (was a 500, found by the fuzzer)', async () => {
    const res = await svc.as(admin).post('/api/v1/assignment-rules').send({ name: 'East enterprise', position: 0 }).expect(400);
    expect(JSON.stringify(res.body)).toContain('target');
  });

  it('captures 1,000 leads from 20 parallel clients: nobody above capacity, the split follows the rules, overflow queued not lost', async () => {
    const east = [await rep('east', 50), await rep('east', 60), await rep('east', 70), await rep('east', 80)];
    const west = [await rep('west', 100), await rep('west', 100), await rep('west', 100)];
    const pool = [await rep('inside', 60), await rep('inside', 80), await rep('inside', 100)];
    await rule({ name: 'East enterprise', position: 10, match: { regions: ['east'], companySizes: ['enterprise'] }, target: { kind: 'team', team: 'east' } });
    await rule({ name: 'West', position: 20, match: { regions: ['west'] }, target: { kind: 'team', team: 'west' } });
    await rule({ name: 'Everyone else', position: 30, target: { kind: 'pool', repIds: pool.map((r) => r.id) } });

    const kindOf = (i: number) => (i % 20 < 7 ? 'east' : i % 20 < 13 ? 'west' : 'other'); // 350 / 300 / 350
    const lead = (i: number) => ({
      name: `Load ${i}`,
      email: `load-${i}@load.example`,
      source: 'web_form',
      region: kindOf(i) === 'other' ? 'north' : kindOf(i),
      companySize: kindOf(i) === 'east' ? 'enterprise' : 'small',
    });
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let i = next++; i < 1000; i = next++) statuses.push((await svc.as(integration).post('/api/v1/leads').send(lead(i))).status);
      }),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1000);

    const load = await rows<{ id: string; team: string; capacity: number; open_leads: number; owned: string }>(
      `SELECT r.id, r.team, r.capacity, r.open_leads, (SELECT count(*) FROM leads l WHERE l.owner_rep_id = r.id AND l.status = 'assigned') AS owned FROM reps r`,
    );
    for (const r of load) {
      expect(Number(r.owned)).toBe(r.open_leads);
      expect(r.open_leads).toBeLessThanOrEqual(r.capacity);
      // There was more demand than capacity for every target, so every rep ends exactly full.
      expect(r.open_leads).toBe(r.capacity);
    }
    // The split follows the rules: each lead's owner is in the target of the rule its facts match.
    const owners = await rows<{ region: string; company_size: string; team: string | null; n: string }>(
      `SELECT l.region, l.company_size, r.team, count(*) AS n FROM leads l LEFT JOIN reps r ON r.id = l.owner_rep_id GROUP BY 1, 2, 3 ORDER BY 1, 3`,
    );
    const n = (region: string, team: string | null) => Number(owners.find((o) => o.region === region && o.team === team)?.n ?? 0);
    expect(
      owners
        .filter((o) => o.team !== null)
        .map((o) => `${o.region}→${o.team}`)
        .sort(),
    ).toEqual(['east→east', 'north→inside', 'west→west']);
    expect([n('east', 'east'), n('east', null)]).toEqual([260, 90]);
    expect([n('west', 'west'), n('west', null)]).toEqual([300, 0]);
    expect([n('north', 'inside'), n('north', null)]).toEqual([240, 110]);

    // Exactly one owner and one assignment record per assigned lead; the rest are queued with a reason.
    expect(await count(`SELECT count(*) AS n FROM leads WHERE status = 'assigned' AND owner_rep_id IS NOT NULL`)).toBe(800);
    expect(
      await count(`SELECT count(*) AS n FROM leads WHERE status = 'unassigned' AND owner_rep_id IS NULL AND unassigned_reason LIKE '%no eligible rep%'`),
    ).toBe(200);
    expect(
      await count(
        `SELECT count(*) AS n FROM leads l WHERE (SELECT count(*) FROM assignments a WHERE a.lead_id = l.id AND a.rep_id = l.owner_rep_id AND a.kind = 'initial') <> (CASE WHEN l.owner_rep_id IS NULL THEN 0 ELSE 1 END)`,
      ),
    ).toBe(0);
    expect(await count('SELECT count(*) AS n FROM assignments')).toBe(800);
    const [explained] = await rows<{ reason: string }>(`SELECT reason FROM assignments a JOIN reps r ON r.id = a.rep_id WHERE r.team = 'east' LIMIT 1`);
    expect(explained.reason).toMatch(/^rule 'East enterprise' → team east, lowest load \d+\/\d+$/);

    // Managers see the queue.
    let queued = 0;
    let cursor: string | null = null;
    do {
      const page: { body: { items: unknown[]; nextCursor: string | null } } = await svc
        .as(admin)
        .get(`/api/v1/leads?status=unassigned&limit=200${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      queued += page.body.items.length;
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(queued).toBe(200);
    await eventually(async () => expect(await svc.published('lead.assigned')).toHaveLength(800), { timeoutMs: 30_000 });

    // Freed capacity goes to the oldest queued lead that the rep's rule covers.
    const [closing] = await rows<{ id: string }>(`SELECT id FROM leads WHERE owner_rep_id = $1 LIMIT 1`, [east[0].id]);
    const [oldestQueued] = await rows<{ id: string }>(`SELECT id FROM leads WHERE status = 'unassigned' AND region = 'east' ORDER BY created_at, id LIMIT 1`);
    await svc.as(admin).post(`/api/v1/leads/${closing.id}/disqualify`).send({ reason: 'no_budget' }).expect(200);
    const [taken] = await rows<{ owner_rep_id: string; status: string }>('SELECT owner_rep_id, status FROM leads WHERE id = $1', [oldestQueued.id]);
    expect(taken).toEqual({ owner_rep_id: east[0].id, status: 'assigned' });
    expect(await count(`SELECT count(*) AS n FROM assignments WHERE lead_id = $1 AND kind = 'retry'`, [oldestQueued.id])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM leads WHERE status = 'unassigned'`)).toBe(199);
    expect((await rows<{ open_leads: number }>('SELECT open_leads FROM reps WHERE id = $1', [east[0].id]))[0].open_leads).toBe(50);
    void west;
  }, 120_000);

  it('re-assigns a lead that missed its follow-up deadline exactly once per deadline, with two schedulers racing', async () => {
    const a = await rep('sla', 5);
    const b = await rep('sla', 5);
    await rule({ name: 'SLA land', position: 0, match: { regions: ['sla-land'] }, target: { kind: 'team', team: 'sla' }, followUpHours: 24 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await svc
        .as(integration)
        .post('/api/v1/leads')
        .send({ name: `Late ${i}`, email: `late-${i}@sla.example`, source: 'phone', region: 'sla-land' })
        .expect(201);
      ids.push(res.body.leadId);
    }
    const owners = async () =>
      Object.fromEntries(
        (await rows<{ id: string; owner_rep_id: string }>('SELECT id, owner_rep_id FROM leads WHERE id = ANY($1)', [ids])).map((r) => [r.id, r.owner_rep_id]),
      );
    const first = await owners();
    expect(new Set(Object.values(first))).toEqual(new Set([a.id, b.id])); // fair: both got leads
    // The owner of the last lead follows up in time: that one is not late.
    const followed = ids[2];
    await svc
      .as({ sub: first[followed], roles: ['sales_rep'], team: 'sla' })
      .post(`/api/v1/leads/${followed}/follow-ups`)
      .send({ channel: 'call', content: 'intro call' })
      .expect(201);
    const late = ids.slice(0, 2);

    // A second replica: its own connection pool on the same database.
    const other = new DataSource({ type: 'postgres', url: svc.db.url, extra: { max: 4 } });
    await other.initialize();
    try {
      const metrics = svc.app.get(MetricsRegistry);
      const assignmentsB = new AssignmentRepository(other);
      const replicaB = new SlaReassignmentJob(other, new AssignmentService(other, assignmentsB, metrics), assignmentsB, metrics);
      const replicaA = svc.app.get(SlaReassignmentJob);
      const t1 = new Date(Date.now() + 25 * 3_600_000);
      const moved = await Promise.all([replicaA.reassignOverdue(t1), replicaB.reassignOverdue(t1), replicaA.reassignOverdue(t1)]);
      expect(moved.reduce((x, y) => x + y, 0)).toBe(2);
      expect(await replicaB.reassignOverdue(t1)).toBe(0);

      const second = await owners();
      for (const id of late) {
        expect(second[id]).not.toBe(first[id]);
        const breaches = await rows<{ previous_rep_id: string; rep_id: string; reason: string }>(
          `SELECT * FROM assignments WHERE lead_id = $1 AND kind = 'sla_breach'`,
          [id],
        );
        expect(breaches).toHaveLength(1);
        expect(breaches[0]).toMatchObject({ previous_rep_id: first[id], rep_id: second[id] });
        expect(breaches[0].reason).toContain("rule 'SLA land'");
      }
      expect(second[followed]).toBe(first[followed]);

      // The unique key is the last guard: the same deadline cannot be recorded twice.
      await expect(
        svc.dataSource.query(
          `INSERT INTO assignments (lead_id, rep_id, kind, reason, deadline, breached_deadline, by)
           SELECT lead_id, rep_id, kind, reason, deadline, breached_deadline, by FROM assignments WHERE lead_id = $1 AND kind = 'sla_breach'`,
          [late[0]],
        ),
      ).rejects.toThrow(/duplicate key/);

      // The new owner misses the new deadline too: one more re-assignment, back to the other rep.
      const t2 = new Date(t1.getTime() + 25 * 3_600_000);
      const movedAgain = await Promise.all([replicaA.reassignOverdue(t2), replicaB.reassignOverdue(t2)]);
      expect(movedAgain.reduce((x, y) => x + y, 0)).toBe(2);
      const third = await owners();
      for (const id of late) expect(third[id]).toBe(first[id]);
      expect(
        await count(`SELECT count(DISTINCT (lead_id, breached_deadline)) AS n FROM assignments WHERE lead_id = ANY($1) AND kind = 'sla_breach'`, [late]),
      ).toBe(4);
      expect(await count(`SELECT count(*) AS n FROM assignments WHERE lead_id = ANY($1) AND kind = 'sla_breach'`, [late])).toBe(4);
    } finally {
      await other.destroy();
    }
    const reassigned = await eventually(async () => {
      const events = (await svc.published('lead.reassigned')).filter((e) => late.includes(e.subject));
      expect(events).toHaveLength(4);
      return events;
    });
    for (const id of late) {
      const mine = reassigned.filter((e) => e.subject === id).map((e) => e.data as { reason: string; fromRepId: string; toRepId: string });
      expect(mine.map((e) => e.reason)).toEqual(['sla_breach', 'sla_breach']);
      expect(mine[0].fromRepId).toBe(first[id]);
    }
    const loads = await rows<{ open_leads: number }>('SELECT open_leads FROM reps WHERE id = ANY($1) ORDER BY id', [[a.id, b.id]]);
    expect(loads.reduce((s, r) => s + r.open_leads, 0)).toBe(3);
  }, 60_000);
});
