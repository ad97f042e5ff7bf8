import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MetricsRegistry } from '@crm/observability';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { leadsSettings } from '../leads.settings';
import { AssignmentRepository } from './assignment.repository';
import { AssignmentService } from './assignment.service';
import { SlaReassignmentJob } from './sla.job';
import { SLA_SETTINGS, type SlaSettings } from './sla.settings';

const admin = { sub: randomUUID(), roles: ['admin'] };
const integration = { sub: 'website-bridge', roles: ['integration'] };
// One "hour" of the rules is a minute here, so a 120-minute warning is 120 seconds and a 2-hour deadline 120 seconds.
const HOUR_MS = 60_000;
const SECOND = 1_000;

type Warning = { leadId: string; repId: string; team?: string; firstFollowUpDueAt: string; warnedAt: string };

describe('the warning before the first-follow-up deadline (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  let other: DataSource;
  let replicaA: SlaReassignmentJob;
  let replicaB: SlaReassignmentJob;
  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => svc.dataSource.query(sql, params) as Promise<T[]>;
  const inOutbox = async (leadId: string) =>
    (
      await rows<{ payload: { data: Warning } }>(
        `SELECT payload FROM outbox WHERE event_type = 'crm.lead.first_follow_up_due_soon' AND message_key = $1 ORDER BY seq`,
        [leadId],
      )
    ).map((r) => r.payload.data);
  const lead = async (id: string) =>
    (
      await rows<{ owner: string; due: Date; warnedFor: Date | null }>(
        'SELECT owner_rep_id AS owner, first_follow_up_due_at AS due, first_follow_up_warned_for AS "warnedFor" FROM leads WHERE id = $1',
        [id],
      )
    )[0];
  const capture = async (name: string, region: string) =>
    (
      await svc
        .as(integration)
        .post('/api/v1/leads')
        .send({ name, email: `${name.toLowerCase().replace(/\W+/g, '-')}@warn.example`, source: 'phone', region })
        .expect(201)
    ).body.leadId as string;
  const before = (due: Date, ms: number) => new Date(due.getTime() - ms);

  beforeAll(async () => {
    svc = await startTestService('leads', (config) => AppModule.forRoot(config), {
      settings: leadsSettings,
      // The scheduled scan stays out of the way: the test runs the job itself at the times it chooses.
      env: { LEADS_SLA_HOUR_MS: String(HOUR_MS), LEADS_SLA_WARNING_MINUTES: '120', LEADS_SLA_SCAN_INTERVAL_MS: '86400000' },
    });
    for (let i = 0; i < 2; i++) {
      const name = `warn-${i}-${randomUUID().slice(0, 4)}`;
      await svc
        .as(admin)
        .post('/api/v1/reps')
        .send({ name, email: `${name}@crm.example`, team: 'warn', capacity: 10 })
        .expect(201);
    }
    const rule = (name: string, region: string, followUpHours: number) =>
      svc
        .as(admin)
        .post('/api/v1/assignment-rules')
        .send({ name, position: followUpHours, match: { regions: [region] }, target: { kind: 'team', team: 'warn' }, followUpHours })
        .expect(201);
    await rule('Quick', 'quick-land', 2);
    await rule('Slow', 'slow-land', 24);

    // A second replica: its own connection pool on the same database, the same settings.
    const settings = svc.app.get<SlaSettings>(SLA_SETTINGS);
    const metrics = svc.app.get(MetricsRegistry);
    other = new DataSource({ type: 'postgres', url: svc.db.url, extra: { max: 4 } });
    await other.initialize();
    const assignmentsB = new AssignmentRepository(other);
    replicaB = new SlaReassignmentJob(other, new AssignmentService(other, assignmentsB, metrics, settings), assignmentsB, metrics, null, settings);
    replicaA = svc.app.get(SlaReassignmentJob);
  });
  afterAll(async () => {
    await other?.destroy();
    await svc?.close();
  });

  it('warns the owner once per deadline, not a lead already followed up or far from its deadline, and again after a re-assignment', async () => {
    const near = await capture('Near Deadline', 'quick-land');
    const followed = await capture('Followed Up', 'quick-land');
    const far = await capture('Far Deadline', 'slow-land');
    const first = await lead(near);
    expect(svc.app.get<SlaSettings>(SLA_SETTINGS).warningMs).toBe(120 * SECOND);

    // The owner of one lead follows up in time: no warning for it.
    const followedOwner = (await lead(followed)).owner;
    await svc
      .as({ sub: followedOwner, roles: ['sales_rep'], team: 'warn' })
      .post(`/api/v1/leads/${followed}/follow-ups`)
      .send({ channel: 'call', content: 'intro call' })
      .expect(201);

    // 150 compressed minutes before the deadline is outside the 120-minute window: nothing yet.
    expect(await replicaA.warnDueSoon(before(first.due, 150 * SECOND))).toBe(0);
    expect(await inOutbox(near)).toEqual([]);

    // 10 minutes before: one warning, however many scans and replicas run.
    const t1 = before(first.due, 10 * SECOND);
    const warned = await Promise.all([replicaA.warnDueSoon(t1), replicaB.warnDueSoon(t1), replicaA.warnDueSoon(t1)]);
    expect(warned.reduce((x, y) => x + y, 0)).toBe(1);
    expect(await replicaB.warnDueSoon(new Date(t1.getTime() + 5 * SECOND))).toBe(0);
    expect(await inOutbox(near)).toEqual([
      { leadId: near, repId: first.owner, team: 'warn', firstFollowUpDueAt: first.due.toISOString(), warnedAt: t1.toISOString() },
    ]);
    expect((await lead(near)).warnedFor).toEqual(first.due);
    expect(await inOutbox(followed)).toEqual([]);
    expect(await inOutbox(far)).toEqual([]);

    // The owner logs nothing: the SLA job re-assigns the lead with a fresh deadline, which gets its own warning.
    expect(await replicaA.reassignOverdue(new Date(first.due.getTime() + SECOND))).toBe(1);
    const second = await lead(near);
    expect(second.owner).not.toBe(first.owner);
    expect(second.due.getTime()).toBeGreaterThan(first.due.getTime());
    const t2 = before(second.due, 5 * SECOND);
    const warnedAgain = await Promise.all([replicaA.warnDueSoon(t2), replicaB.warnDueSoon(t2)]);
    expect(warnedAgain.reduce((x, y) => x + y, 0)).toBe(1);
    expect(await replicaA.warnDueSoon(t2)).toBe(0);
    expect((await inOutbox(near)).map((w) => [w.repId, w.firstFollowUpDueAt])).toEqual([
      [first.owner, first.due.toISOString()],
      [second.owner, second.due.toISOString()],
    ]);

    // On the topic, as on the outbox: two warnings for the lead, none for the others.
    const published = await eventually(async () => {
      const events = await svc.published('lead.first_follow_up_due_soon');
      expect(events.filter((e) => e.subject === near)).toHaveLength(2);
      return events;
    });
    expect(published.filter((e) => e.subject !== near)).toEqual([]);
    expect(published.map((e) => (e.data as Warning).repId)).toEqual([first.owner, second.owner]);
  }, 60_000);

  it('the scheduled scan warns too: a 2-hour deadline is within a 120-minute window from the start', async () => {
    const soon = await capture('Scheduled Scan', 'quick-land');
    await replicaA.run();
    await replicaA.run();
    expect(await inOutbox(soon)).toEqual([expect.objectContaining({ leadId: soon, firstFollowUpDueAt: (await lead(soon)).due.toISOString() })]);
  });
});
