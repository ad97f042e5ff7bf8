import { randomUUID } from 'node:crypto';
import { startTestService, type TestService } from '@crm/testing';
import { AppModule } from './app.module';
import { EscalationJob } from './escalation/escalation.job';
import { notificationsSettings } from './notifications.settings';
import { RemindersJob } from './reminders/reminders.job';
import { RemindersRepository } from './reminders/reminders.repository';
import { addRecipient, fanOut, setRecordOwner, startNotifications } from './testing/notifications-fixtures';

// `npm start -- --replicas 2`: every replica schedules the same jobs on the same database. Two app instances run
// each job at the same moment, twice each; the people concerned are told once (in-app and by email).
const HOUR = 3_600_000;

describe('scheduled jobs on two replicas at once (real PostgreSQL)', () => {
  let a: TestService;
  let b: TestService;
  const team = 'replicas';
  const rep = randomUUID();
  const manager = randomUUID();
  const told = (userId: string, type: string, recordId: string): Promise<unknown[]> =>
    a.dataSource.query('SELECT id FROM notifications WHERE recipient_id = $1 AND type = $2 AND record_id = $3', [userId, type, recordId]);
  const emailed = (address: string): Promise<unknown[]> => a.dataSource.query(`SELECT id FROM deliveries WHERE channel = 'email' AND target = $1`, [address]);

  beforeAll(async () => {
    // The jobs' own timers are an hour apart: only the runs below happen.
    const env = { NOTIFICATIONS_SCAN_INTERVAL_MS: String(HOUR) };
    a = await startNotifications(env);
    b = await startTestService('notifications', (config) => AppModule.forRoot(config), {
      settings: notificationsSettings,
      env,
      database: a.db,
      prefix: a.prefix,
    });
    await addRecipient(a, { userId: manager, email: `boss-${manager}@x.example`, roles: ['sales_manager'], team, locale: 'en' });
    await addRecipient(a, { userId: rep, email: `rep-${rep}@x.example`, roles: ['sales_rep'], team, managerId: manager, locale: 'en' });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('escalates an unacknowledged alert to the manager once', async () => {
    const orderId = randomUUID();
    await setRecordOwner(a, 'order', orderId, rep, { team, label: 'Late Co' });
    await fanOut(a, {
      eventType: 'order.delayed',
      record: { kind: 'order', id: orderId },
      data: { orderId, repId: rep, status: 'allocated', reason: 'past_promised_date', promisedDeliveryDate: '2026-11-30', daysLate: 2 },
    });
    expect(await told(rep, 'order_late', orderId)).toHaveLength(1);
    const later = new Date(Date.now() + 9 * HOUR); // order_late escalates after 8 h
    const [jobA, jobB] = [a.app.get(EscalationJob), b.app.get(EscalationJob)];
    const runs = await Promise.all([jobA.run(later), jobB.run(later), jobA.run(later), jobB.run(later)]);
    expect(runs.reduce((x, y) => x + y, 0)).toBe(1);
    expect(await told(manager, 'escalated', orderId)).toHaveLength(1);
    expect(await emailed(`boss-${manager}@x.example`)).toHaveLength(1);
  });

  it('reminds the rep of a next action coming due once', async () => {
    const leadId = randomUUID();
    await setRecordOwner(a, 'lead', leadId, rep, { team, label: 'Due Co' });
    const due = new Date(Date.now() - 60_000);
    await a.dataSource.transaction((m) =>
      a.app
        .get(RemindersRepository)
        .recordFollowUp(m, { leadId, followUpId: randomUUID(), repId: rep, at: new Date(due.getTime() - HOUR), nextAction: 'send quote', dueAt: due }),
    );
    const [jobA, jobB] = [a.app.get(RemindersJob), b.app.get(RemindersJob)];
    const now = new Date();
    const runs = await Promise.all([jobA.run(now), jobB.run(now), jobA.run(now), jobB.run(now)]);
    expect(runs.reduce((x, y) => x + y, 0)).toBe(1);
    expect(await told(rep, 'next_action_due', leadId)).toHaveLength(1);
  });
});
