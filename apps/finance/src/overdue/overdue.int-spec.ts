import request from 'supertest';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { financeSettings } from '../finance.settings';
import { ADMIN, openReceivable, outboxed, receivableOf, singleLine } from '../testing/finance-fixtures';
import { OverdueJob } from './overdue.job';

const DAY = 86_400_000;

describe('overdue receivables job (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  let job: OverdueJob;

  beforeAll(async () => {
    svc = await startTestService('finance', (config) => AppModule.forRoot(config), { settings: financeSettings });
    job = svc.app.get(OverdueJob);
  });
  afterAll(() => svc?.close());

  it('alerts each receivable past due with money owed exactly once, across repeated and concurrent runs; never a paid one', async () => {
    // Due 30 days from today: the real 10-minute schedule cannot reach them during the test; the job runs "40 days from now".
    const confirmedAt = new Date().toISOString();
    const now = new Date(Date.now() + 40 * DAY);
    const due = await Promise.all(
      Array.from({ length: 6 }, () => openReceivable(svc, { paymentTerms: 'NET30', confirmedAt, lines: singleLine('100.00'), total: '100.00' })),
    );
    const paid = await openReceivable(svc, { paymentTerms: 'NET30', confirmedAt, lines: singleLine('100.00'), total: '100.00' });
    const notYetDue = await openReceivable(svc, { paymentTerms: 'NET60', confirmedAt, lines: singleLine('100.00'), total: '100.00' });
    const voided = await openReceivable(svc, { paymentTerms: 'NET30', confirmedAt, lines: singleLine('100.00'), total: '100.00' });
    await svc.dataSource.query(`UPDATE receivables SET status = 'voided' WHERE id = $1`, [voided.receivable.id]);
    await svc.as(ADMIN).post(`/api/v1/receivables/${paid.receivable.id}/payments`).send({ amount: '100.00', currency: 'EUR' }).expect(201);
    const partly = due[0];
    await svc.as(ADMIN).post(`/api/v1/receivables/${partly.receivable.id}/payments`).send({ amount: '30.00', currency: 'EUR' }).expect(201);

    const [a, b] = await Promise.all([job.detectOverdue(now), job.detectOverdue(now)]);
    expect(a + b).toBe(6);
    expect(await job.detectOverdue(now)).toBe(0);
    expect(await job.detectOverdue(new Date(now.getTime() + DAY))).toBe(0);

    const overdue = await outboxed(svc, 'receivable.overdue');
    expect(overdue.map((e) => e.subject).sort()).toEqual(due.map((d) => d.receivable.id).sort());
    const dueDate = due[0].receivable.due_date;
    expect(overdue.find((e) => e.subject === partly.receivable.id)?.data).toEqual({
      receivableId: partly.receivable.id,
      orderId: partly.event.data.orderId,
      outstanding: '70.00',
      currency: 'EUR',
      dueDate,
      daysOverdue: 10,
      detectedAt: now.toISOString(),
    });
    expect(await receivableOf(svc, partly.event.data.orderId)).toMatchObject({ overdue_alerted_at: now });

    const published = await eventually(async () => {
      const events = await svc.published('receivable.overdue');
      expect(events).toHaveLength(6);
      return events;
    });
    expect(new Set(published.map((e) => e.subject)).size).toBe(6);
    for (const never of [paid, notYetDue, voided]) expect(published.some((e) => e.subject === never.receivable.id)).toBe(false);

    const metrics = await request(svc.app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toContain('finance_receivables_overdue{service="finance"} 6');
  });
});
