import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { eventually, type TestService } from '@crm/testing';
import { EscalationJob } from '../escalation/escalation.job';
import { RemindersJob } from '../reminders/reminders.job';
import { addRecipient, startNotifications } from '../testing/notifications-fixtures';

const now = () => new Date().toISOString();
const team = 'east';
const rep = randomUUID();
const rep2 = randomUUID();
const manager = randomUUID();
const financeUser = randomUUID();
const pumpRd = randomUUID();
const valveRd = randomUUID();

const repEvent = (repId: string, email: string, managerId?: string) =>
  createEvent('rep.upserted', {
    subject: repId,
    data: { repId, name: `Rep ${email}`, email, team, managerId, regions: [], productLines: [], capacity: 10, active: true, updatedAt: now() },
  });

describe('notifications from the other services’ events (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const applied = async (id: string) => (await svc.dataSource.query('SELECT 1 FROM inbox WHERE event_id = $1', [id])).length > 0;
  const publishAndWait = async (...events: EventEnvelope[]) => {
    await svc.publish(...events);
    for (const e of events) await eventually(async () => expect(await applied(e.id)).toBe(true));
  };
  const inbox = (userId: string): Promise<{ type: string; audience: string; params: Record<string, unknown>; record_id: string }[]> =>
    svc.dataSource.query('SELECT type, audience, params, record_id FROM notifications WHERE recipient_id = $1 ORDER BY id', [userId]);
  const emails = (address: string): Promise<{ status: string }[]> =>
    svc.dataSource.query(`SELECT status FROM deliveries WHERE channel = 'email' AND target = $1`, [address]);

  beforeAll(async () => {
    // Nothing sends email here (no dispatcher is asserted on); the ledger rows are what is checked.
    svc = await startNotifications({ NOTIFICATIONS_SCAN_INTERVAL_MS: '3600000' });
    await addRecipient(svc, { userId: manager, email: 'boss@x.example', roles: ['sales_manager'], team, locale: 'en' });
    await addRecipient(svc, { userId: financeUser, email: 'ar@x.example', roles: ['finance'] });
    await addRecipient(svc, { userId: pumpRd, roles: ['product_team'], team: 'pump-rd' });
    await addRecipient(svc, { userId: valveRd, roles: ['product_team'], team: 'valve-rd' });
    await svc.dataSource.query(`INSERT INTO product_routes (product_line, team) VALUES ('pumps', 'pump-rd'), ('valves', 'valve-rd')`);
    await publishAndWait(
      repEvent(rep, 'rep1@x.example', manager),
      repEvent(rep2, 'rep2@x.example', manager),
      createEvent('item.upserted', { subject: 'PUMP-1', data: { sku: 'PUMP-1', name: 'Pump', productLine: 'pumps', active: true, updatedAt: now() } }),
    );
  });
  afterAll(() => svc?.close());

  it('tells the new owner of an assigned lead by name, with an email, once however often the event comes', async () => {
    const leadId = randomUUID();
    const assigned = createEvent('lead.assigned', {
      subject: leadId,
      data: { leadId, repId: rep, team, rule: 'round_robin', assignedAt: now(), firstFollowUpDueAt: new Date(Date.now() + 3_600_000).toISOString() },
    });
    await publishAndWait(
      createEvent('lead.captured', { subject: leadId, data: { leadId, source: 'web_form', contact: { name: '李伟', company: '华为' }, capturedAt: now() } }),
      assigned,
    );
    await publishAndWait({ ...assigned, id: assigned.id }); // redelivered: the inbox and the unique keys absorb it
    const mine = (await inbox(rep)).filter((n) => n.record_id === leadId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ type: 'lead_assigned', audience: 'owner', params: { label: '华为 · 李伟', rule: 'round_robin' } });
    expect(await emails('rep1@x.example')).toHaveLength(1);
  });

  it('tells the previous owner of a re-assigned lead that it moved, without naming it', async () => {
    const leadId = randomUUID();
    await publishAndWait(
      createEvent('lead.captured', {
        subject: leadId,
        data: { leadId, source: 'phone', contact: { name: 'Secret Person', company: 'Secret Co' }, capturedAt: now() },
      }),
      createEvent('lead.assigned', { subject: leadId, data: { leadId, repId: rep, team, rule: 'region', assignedAt: now(), firstFollowUpDueAt: now() } }),
      createEvent('lead.reassigned', {
        subject: leadId,
        data: { leadId, fromRepId: rep, toRepId: rep2, reason: 'sla_breach', reassignedAt: now(), firstFollowUpDueAt: now() },
      }),
    );
    const away = (await inbox(rep)).filter((n) => n.record_id === leadId && n.type === 'lead_reassigned_away');
    expect(away).toHaveLength(1);
    expect(JSON.stringify(away[0].params)).not.toContain('Secret');
    expect((await inbox(rep2)).filter((n) => n.record_id === leadId).map((n) => n.type)).toEqual(['lead_assigned']);
  });

  it('routes a complaint to the rep and to the product team owning the order’s product line, and nobody else', async () => {
    const orderId = randomUUID();
    const lines = [{ sku: 'PUMP-1', productName: 'Pump', quantity: 1, unitPrice: '10.00', discount: '0', lineId: randomUUID(), lineTotal: '10.00' }];
    await publishAndWait(
      createEvent('order.drafted', {
        subject: orderId,
        data: {
          orderId,
          opportunityId: null,
          repId: rep,
          team,
          customer: { name: 'Zhang San', company: 'Acme' },
          currency: 'CNY',
          lines,
          total: '10.00',
          paymentTerms: 'NET30',
          by: 'u',
          draftedAt: now(),
        },
      }),
    );
    const feedback = (complaint: boolean) =>
      createEvent('order.feedback_received', {
        subject: orderId,
        data: { orderId, feedbackId: randomUUID(), repId: rep, rating: 1, category: 'quality', comment: '泵漏水', complaint, receivedAt: now() },
      });
    await publishAndWait(feedback(false));
    expect((await inbox(pumpRd)).filter((n) => n.record_id === orderId)).toHaveLength(0);
    await publishAndWait(feedback(true));
    expect((await inbox(pumpRd)).filter((n) => n.record_id === orderId).map((n) => n.type)).toEqual(['customer_complaint']);
    expect((await inbox(rep)).filter((n) => n.record_id === orderId).map((n) => n.type)).toEqual(['customer_complaint']);
    expect((await inbox(valveRd)).filter((n) => n.record_id === orderId)).toHaveLength(0);
    expect((await inbox(rep2)).filter((n) => n.record_id === orderId)).toHaveLength(0);

    // An overdue receivable of that order: finance and the rep.
    const receivableId = randomUUID();
    await publishAndWait(
      createEvent('receivable.overdue', {
        subject: receivableId,
        data: { receivableId, orderId, outstanding: '10.00', currency: 'CNY', dueDate: '2026-11-01', daysOverdue: 3, detectedAt: now() },
      }),
    );
    expect((await inbox(financeUser)).filter((n) => n.record_id === receivableId).map((n) => n.params.label)).toEqual(['Acme · Zhang San']);
    expect((await inbox(rep)).filter((n) => n.record_id === receivableId)).toHaveLength(1);
  });

  it("follows a draft's edited lines: a complaint goes to the product team of the lines the order now has", async () => {
    const orderId = randomUUID();
    const terms = (sku: string) => ({
      orderId,
      opportunityId: null,
      repId: rep,
      team,
      customer: { name: 'Wang Fang', company: 'Valve Buyers' },
      currency: 'CNY',
      lines: [{ sku, productName: sku, quantity: 1, unitPrice: '10.00', discount: '0', lineId: randomUUID(), lineTotal: '10.00' }],
      total: '10.00',
      paymentTerms: 'NET30',
    });
    await publishAndWait(
      createEvent('item.upserted', { subject: 'VALVE-1', data: { sku: 'VALVE-1', name: 'Valve', productLine: 'valves', active: true, updatedAt: now() } }),
      createEvent('order.drafted', { subject: orderId, data: { ...terms('PUMP-1'), by: 'u', draftedAt: now() } }),
      createEvent('order.draft_updated', { subject: orderId, data: { ...terms('VALVE-1'), changed: ['lines'], by: 'u', updatedAt: now() } }),
    );
    const [record] = await svc.dataSource.query(`SELECT product_lines FROM record_access WHERE record_kind = 'order' AND record_id = $1`, [orderId]);
    expect(record.product_lines).toEqual(['valves']);
    await publishAndWait(
      createEvent('order.feedback_received', {
        subject: orderId,
        data: { orderId, feedbackId: randomUUID(), repId: rep, rating: 1, category: 'quality', comment: '阀门漏水', complaint: true, receivedAt: now() },
      }),
    );
    expect((await inbox(valveRd)).filter((n) => n.record_id === orderId).map((n) => n.type)).toEqual(['customer_complaint']);
    expect((await inbox(pumpRd)).filter((n) => n.record_id === orderId)).toHaveLength(0);
    // Read: an unacknowledged complaint would escalate in the escalation test below and change its count.
    await svc.dataSource.query('UPDATE notifications SET read_at = now() WHERE record_id = $1', [orderId]);
  });

  it('tells nobody of a historical or stale event', async () => {
    const opportunityId = randomUUID();
    const overdue = (time: string) =>
      createEvent('opportunity.stage_overdue', {
        subject: opportunityId,
        time,
        data: { opportunityId, repId: rep, stage: 'proposal', enteredAt: time, limitHours: 24, detectedAt: time },
      });
    await publishAndWait(
      createEvent('opportunity.created', {
        subject: opportunityId,
        data: {
          opportunityId,
          leadId: null,
          repId: rep,
          team,
          customer: { name: 'Old' },
          expectedAmount: '1',
          currency: 'CNY',
          expectedCloseDate: '2027-01-01',
          stage: 'proposal',
          createdAt: now(),
        } as never,
      }),
      overdue(new Date(Date.now() - 72 * 3_600_000).toISOString()),
    );
    expect((await inbox(rep)).filter((n) => n.record_id === opportunityId)).toHaveLength(0);
    await publishAndWait(overdue(now()));
    expect((await inbox(rep)).filter((n) => n.record_id === opportunityId).map((n) => n.type)).toEqual(['stage_overdue']);
  });

  it('reminds of a next action when due and when overdue, once each, and forgets it after a newer follow-up', async () => {
    const leadId = randomUUID();
    const due = new Date(Date.now() - 60_000);
    const followUp = (nextActionDueAt?: string, at = now()) =>
      createEvent('lead.followed_up', {
        subject: leadId,
        data: { leadId, followUpId: randomUUID(), repId: rep, channel: 'call', at, content: 'talked', nextAction: 'send quote', nextActionDueAt },
      });
    await publishAndWait(
      createEvent('lead.assigned', { subject: leadId, data: { leadId, repId: rep, team, rule: 'region', assignedAt: now(), firstFollowUpDueAt: now() } }),
      followUp(due.toISOString(), new Date(Date.now() - 120_000).toISOString()),
    );
    const job = svc.app.get(RemindersJob);
    const types = async () =>
      (await inbox(rep))
        .filter((n) => n.record_id === leadId)
        .map((n) => n.type)
        .filter((t) => t !== 'lead_assigned');
    await job.run();
    await job.run();
    expect(await types()).toEqual(['next_action_due']);
    await job.run(new Date(due.getTime() + 25 * 3_600_000));
    expect(await types()).toEqual(['next_action_due', 'next_action_overdue']);

    // A follow-up without a next action closes the next one.
    const leadB = randomUUID();
    await publishAndWait(
      createEvent('lead.followed_up', {
        subject: leadB,
        data: { leadId: leadB, followUpId: randomUUID(), repId: rep, channel: 'call', at: now(), content: 'x', nextActionDueAt: due.toISOString() },
      }),
      createEvent('lead.followed_up', {
        subject: leadB,
        data: { leadId: leadB, followUpId: randomUUID(), repId: rep, channel: 'call', at: now(), content: 'done' },
      }),
    );
    await job.run();
    expect((await inbox(rep)).filter((n) => n.record_id === leadB)).toHaveLength(0);
  });

  it("escalates an unacknowledged alert to the rep's manager once, and never an acknowledged one", async () => {
    const [late, read]: string[] = [randomUUID(), randomUUID()];
    for (const orderId of [late, read])
      await publishAndWait(
        createEvent('order.delayed', {
          subject: orderId,
          data: { orderId, repId: rep, status: 'allocated', reason: 'past_promised_date', promisedDeliveryDate: '2026-11-30', daysLate: 2, detectedAt: now() },
        }),
      );
    // The order copies never arrived: the rep is not the known owner, so nobody is told yet. Give them the orders.
    expect((await inbox(rep)).filter((n) => n.record_id === late)).toHaveLength(0);
    await svc.dataSource.query(
      `INSERT INTO record_access (record_kind, record_id, owner_id, team, label) VALUES ('order', $1, $3, $4, 'Late Co'), ('order', $2, $3, $4, 'Read Co')`,
      [late, read, rep, team],
    );
    for (const orderId of [late, read])
      await publishAndWait(
        createEvent('order.delayed', {
          subject: orderId,
          data: { orderId, repId: rep, status: 'allocated', reason: 'past_promised_date', promisedDeliveryDate: '2026-11-30', daysLate: 3, detectedAt: now() },
        }),
      );
    await svc.dataSource.query(`UPDATE notifications SET read_at = now() WHERE record_id = $1`, [read]);
    const job = svc.app.get(EscalationJob);
    const later = new Date(Date.now() + 9 * 3_600_000); // order_late escalates after 8 h
    await job.run(new Date());
    expect((await inbox(manager)).filter((n) => n.type === 'escalated')).toHaveLength(0);
    await job.run(later);
    await job.run(later);
    // (The complaint above, unacknowledged for 4 h, escalates too: only this test's two orders are looked at.)
    const escalated = (await inbox(manager)).filter((n) => n.type === 'escalated' && [late, read].includes(n.record_id));
    expect(escalated.map((n) => n.record_id)).toEqual([late]);
    expect(escalated[0].params).toMatchObject({ original: { type: 'order_late' }, ownerName: 'Rep rep1@x.example' });
    expect(await emails('boss@x.example')).toHaveLength(2);
  });

  it('tells the new owner of a handed-over opportunity and order, with the reason; the owner copies and the order’s receivable follow', async () => {
    const [opportunityId, orderId, receivableId]: string[] = [randomUUID(), randomUUID(), randomUUID()];
    const lines = [{ sku: 'PUMP-1', productName: 'Pump', quantity: 1, unitPrice: '10.00', discount: '0', lineId: randomUUID(), lineTotal: '10.00' }];
    const customer = { name: 'Qian Yu', company: 'Hand Over Ltd' };
    const moved = { fromRepId: rep, toRepId: rep2, team, reason: '客户转交：李伟调往西区', by: manager, reassignedAt: now() };
    await publishAndWait(
      createEvent('opportunity.created', {
        subject: opportunityId,
        data: {
          opportunityId,
          leadId: null,
          repId: rep,
          team,
          customer,
          expectedAmount: '100',
          currency: 'CNY',
          expectedCloseDate: '2027-01-31',
          stage: 'proposal',
          createdAt: now(),
        },
      }),
      createEvent('order.drafted', {
        subject: orderId,
        data: { orderId, opportunityId, repId: rep, team, customer, currency: 'CNY', lines, total: '10.00', paymentTerms: 'NET30', by: 'u', draftedAt: now() },
      }),
    );
    // Another topic: the receivable copies its order's owner once the order is known.
    await publishAndWait(
      createEvent('receivable.created', {
        subject: receivableId,
        data: { receivableId, orderId, amount: '10.00', currency: 'CNY', dueDate: '2027-01-31', paymentTerms: 'NET30', createdAt: now() },
      }),
    );
    await publishAndWait(
      createEvent('opportunity.reassigned', { subject: opportunityId, data: { opportunityId, ...moved } }),
      createEvent('order.reassigned', { subject: orderId, data: { orderId, opportunityId, status: 'confirmed', ...moved } }),
    );
    const told = (await inbox(rep2)).filter((n) => [opportunityId, orderId].includes(n.record_id));
    expect(told.map((n) => [n.type, n.audience, n.params.label, n.params.reason])).toEqual([
      ['opportunity_handed_over', 'owner', 'Hand Over Ltd · Qian Yu', moved.reason],
      ['order_handed_over', 'owner', 'Hand Over Ltd · Qian Yu', moved.reason],
    ]);
    expect((await inbox(rep)).filter((n) => [opportunityId, orderId].includes(n.record_id))).toEqual([]);
    const owners: { record_id: string; owner_id: string }[] = await svc.dataSource.query(
      'SELECT record_id, owner_id FROM record_access WHERE record_id = ANY($1)',
      [[opportunityId, orderId, receivableId]],
    );
    expect(Object.fromEntries(owners.map((o) => [o.record_id, o.owner_id]))).toEqual({ [opportunityId]: rep2, [orderId]: rep2, [receivableId]: rep2 });
  });
});
