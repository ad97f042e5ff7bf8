import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { eventually, storedValues, type TestService } from '@crm/testing';
import { addRecipient, admin, startNotifications } from '../testing/notifications-fixtures';

const now = () => new Date().toISOString();
const soon = () => new Date(Date.now() + 3_600_000).toISOString();
const team = 'pd-east';
const rep = randomUUID();
const rep2 = randomUUID();
const financeUser = randomUUID();
const person = (tag: string) => ({ name: `Ouyang ${tag}`, email: `ouyang.${tag}@example.cn`, phone: `+86 138 ${tag} 0101`, company: 'Haitang Pumps' });

describe("a person's notifications: export and erasure (real Kafka and PostgreSQL)", () => {
  let svc: TestService;
  const publishAndWait = async (...events: EventEnvelope[]) => {
    await svc.publish(...events);
    for (const e of events)
      await eventually(async () => expect((await svc.dataSource.query('SELECT 1 FROM inbox WHERE event_id = $1', [e.id])).length).toBe(1));
  };
  const exportOf = async (query: string) => (await svc.as(admin).get(`/api/v1/personal-data/notifications?${query}`).expect(200)).body;
  const leaksOf = (values: string[]) => storedValues(svc.dataSource, values);

  beforeAll(async () => {
    svc = await startNotifications({ NOTIFICATIONS_SCAN_INTERVAL_MS: '3600000' });
    await addRecipient(svc, { userId: rep, email: 'pd-rep1@x.example', roles: ['sales_rep'], team, locale: 'en' });
    await addRecipient(svc, { userId: rep2, email: 'pd-rep2@x.example', roles: ['sales_rep'], team });
    await addRecipient(svc, { userId: financeUser, email: 'pd-ar@x.example', roles: ['finance'] });
  });
  afterAll(() => svc?.close());

  /** A lead captured and assigned, with a follow-up whose next action quotes the person. */
  async function capturedLead(p: ReturnType<typeof person>) {
    const leadId = randomUUID();
    await publishAndWait(
      createEvent('lead.captured', { subject: leadId, data: { leadId, source: 'web_form', contact: p, capturedAt: now() } }),
      createEvent('lead.assigned', { subject: leadId, data: { leadId, repId: rep, team, rule: 'region', assignedAt: now(), firstFollowUpDueAt: soon() } }),
      createEvent('lead.followed_up', {
        subject: leadId,
        data: {
          leadId,
          followUpId: randomUUID(),
          repId: rep,
          channel: 'call',
          at: now(),
          content: 'talked',
          nextAction: `Call ${p.name} on ${p.phone}`,
          nextActionDueAt: soon(),
        },
      }),
    );
    return leadId;
  }

  it("exports the contact's records, notifications and next actions, then erases every value, keeping owners and ids", async () => {
    const p = person('4711');
    const bystander = person('0815');
    const [contactId, opportunityId, orderId, receivableId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const leadId = await capturedLead(p);
    const otherLead = await capturedLead(bystander);
    const lines = [{ sku: 'PD-1', productName: 'Pump', quantity: 1, unitPrice: '10.00', discount: '0', lineId: randomUUID(), lineTotal: '10.00' }];
    await publishAndWait(
      createEvent('contact.lead_resolved', {
        subject: contactId,
        data: { leadId, contactId, accountId: null, contactCreated: true, accountCreated: false, resolvedAt: now() },
      }),
      createEvent('opportunity.created', {
        subject: opportunityId,
        data: {
          opportunityId,
          leadId,
          repId: rep2,
          team,
          customer: p,
          expectedAmount: '10.00',
          currency: 'CNY',
          expectedCloseDate: '2026-12-31',
          stage: 'qualify',
          createdAt: now(),
        },
      }),
      createEvent('opportunity.reassigned', {
        subject: opportunityId,
        data: { opportunityId, fromRepId: rep2, toRepId: rep, team, reason: 'workload', by: 'admin', reassignedAt: now() },
      }),
    );
    // An order comes of the won opportunity: after it (another topic), so it takes the opportunity's lead.
    await publishAndWait(
      createEvent('order.drafted', {
        subject: orderId,
        data: {
          orderId,
          opportunityId,
          repId: rep,
          team,
          customer: p,
          contactId,
          currency: 'CNY',
          lines,
          total: '10.00',
          paymentTerms: 'NET30',
          by: 'u',
          draftedAt: now(),
        },
      }),
      createEvent('order.feedback_received', {
        subject: orderId,
        data: {
          orderId,
          feedbackId: randomUUID(),
          repId: rep,
          rating: 1,
          category: 'quality',
          comment: `leaks, says ${p.email}`,
          complaint: true,
          receivedAt: now(),
        },
      }),
    );
    // A receivable takes its order's copy: finance tells of it after the order exists here.
    await publishAndWait(
      createEvent('receivable.overdue', {
        subject: receivableId,
        data: { receivableId, orderId, outstanding: '10.00', currency: 'CNY', dueDate: '2026-11-01', daysOverdue: 3, detectedAt: now() },
      }),
    );

    const before = await exportOf(`contactId=${contactId}`);
    expect(before).toMatchObject({ service: 'notifications', subject: { contactId }, generatedAt: expect.any(String) });
    const kinds = before.records.records.map((r: { recordKind: string; recordId: string }) => `${r.recordKind}:${r.recordId}`).sort();
    expect(kinds).toEqual([`lead:${leadId}`, `opportunity:${opportunityId}`, `order:${orderId}`, `receivable:${receivableId}`].sort());
    const types = before.records.notifications.map((n: { type: string }) => n.type).sort();
    expect(types).toEqual(expect.arrayContaining(['lead_assigned', 'opportunity_handed_over', 'customer_complaint', 'receivable_overdue']));
    expect(JSON.stringify(before.records.notifications)).toContain(p.email);
    expect(before.records.reminders).toEqual([expect.objectContaining({ leadId, nextAction: `Call ${p.name} on ${p.phone}` })]);
    const byLead = await exportOf(`leadId=${leadId}`);
    expect(byLead.records.records.map((r: { recordId: string }) => r.recordId).sort()).toEqual([leadId, opportunityId, orderId, receivableId].sort());

    const values = [p.name, p.email, p.phone];
    expect(await leaksOf(values)).not.toEqual([]);
    await publishAndWait(
      createEvent('contact.erased', {
        subject: contactId,
        data: {
          contactId,
          leadIds: [leadId],
          opportunityIds: [opportunityId],
          orderIds: [orderId],
          receivableIds: [receivableId],
          requestId: randomUUID(),
          by: 'admin',
          erasedAt: now(),
        },
      }),
    );

    expect(await leaksOf(values)).toEqual([]);
    const after = await exportOf(`contactId=${contactId}`);
    expect(after.records.records).toHaveLength(4);
    for (const r of after.records.records) expect(r).toMatchObject({ label: '[erased]', ownerId: rep });
    expect(after.records.notifications).toHaveLength(before.records.notifications.length);
    const complaint = after.records.notifications.find((n: { type: string }) => n.type === 'customer_complaint');
    expect(complaint.params).toMatchObject({ orderId, rating: 1, comment: '[erased]', label: '[erased]' });
    expect(after.records.reminders).toEqual([expect.objectContaining({ leadId, nextAction: null })]);
    // The inbox renders what is left: the record kind and "[erased]".
    const inbox = await svc
      .as({ sub: rep, roles: ['sales_rep'] as never, team })
      .get('/api/v1/notifications?limit=100')
      .expect(200);
    expect(JSON.stringify(inbox.body)).not.toContain(p.name);
    // Someone else's lead keeps its name and next action.
    const other = await exportOf(`leadId=${otherLead}`);
    expect(other.records.records[0].label).toBe(`${bystander.company} · ${bystander.name}`);
    expect(other.records.reminders[0].nextAction).toContain(bystander.phone);
  });

  it('erases a lead that never became a contact (lead.erased), and answers an unknown person with empty records', async () => {
    const p = person('9090');
    const leadId = await capturedLead(p);
    await publishAndWait(
      createEvent('lead.erased', { subject: leadId, data: { leadId, reason: 'retention', opportunityIds: [], by: 'system', erasedAt: now() } }),
    );
    expect(await leaksOf([p.name, p.phone])).toEqual([]);
    const after = await exportOf(`leadId=${leadId}`);
    expect(after.records.records).toEqual([expect.objectContaining({ recordId: leadId, label: '[erased]' })]);
    expect(after.records.notifications.length).toBeGreaterThan(0);
    expect(await exportOf(`contactId=${randomUUID()}`)).toMatchObject({ records: { records: [], notifications: [], reminders: [] } });
  });

  it('refuses neither or both of contactId and leadId, or a malformed id, with 400', async () => {
    for (const query of ['', `contactId=${randomUUID()}&leadId=${randomUUID()}`, 'leadId=nope']) {
      await svc.as(admin).get(`/api/v1/personal-data/notifications?${query}`).expect(400);
    }
  });
});
