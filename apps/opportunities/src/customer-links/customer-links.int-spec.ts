import { randomUUID } from 'node:crypto';
import { createEvent, historicalId, type EventEnvelope } from '@crm/contracts';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { opportunitiesSettings } from '../opportunities.settings';

const now = () => new Date().toISOString();
const rep = { sub: randomUUID(), roles: ['sales_rep'], team: 'east' };
const admin = { sub: randomUUID(), roles: ['admin'] };
const integration = { sub: 'old-crm', roles: ['integration'] };

const converted = (leadId = randomUUID()) =>
  createEvent('lead.converted', {
    subject: leadId,
    data: { leadId, repId: rep.sub, team: 'east', customer: { name: 'Li Wei', company: 'Acme' }, productNeeds: [], capturedAt: now(), convertedAt: now() },
  });
const resolved = (leadId: string, accountId: string | null, contactId = randomUUID()) =>
  createEvent('contact.lead_resolved', {
    subject: contactId,
    data: { leadId, accountId, contactId, contactCreated: true, accountCreated: !!accountId, resolvedAt: now() },
  });
const merge = (kind: 'account' | 'contact', survivorId: string, mergedId: string, mergeId = randomUUID()) =>
  createEvent(`${kind}.merged`, { subject: survivorId, data: { mergeId, survivorId, mergedId, by: admin.sub, at: now() } });
const undo = (kind: 'account' | 'contact', survivorId: string, restoredId: string, mergeId: string) =>
  createEvent(`${kind}.merge_undone`, { subject: survivorId, data: { mergeId, survivorId, restoredId, by: admin.sub, at: now() } });

describe("opportunities' account and contact (real Kafka and PostgreSQL)", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService('opportunities', (config) => AppModule.forRoot(config), { settings: opportunitiesSettings });
  });
  afterAll(() => svc?.close());

  const outbox = async (type: string, subject: string): Promise<EventEnvelope[]> =>
    (await svc.dataSource.query('SELECT payload FROM outbox WHERE event_type = $1 AND message_key = $2 ORDER BY seq', [type, subject])).map(
      (r: { payload: EventEnvelope }) => r.payload,
    );
  const applied = (...events: EventEnvelope[]) =>
    eventually(async () => {
      const [{ n }] = await svc.dataSource.query('SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1::uuid[])', [events.map((e) => e.id)]);
      expect(n).toBe(new Set(events.map((e) => e.id)).size);
    });
  const ofLead = async (leadId: string) =>
    eventually(async () => {
      const [o] = await svc.dataSource.query('SELECT id, account_id AS "accountId", contact_id AS "contactId" FROM opportunities WHERE lead_id = $1', [leadId]);
      expect(o).toBeDefined();
      return o as { id: string; accountId: string | null; contactId: string | null };
    });
  const pending = async (leadId: string) =>
    Number((await svc.dataSource.query('SELECT count(*) AS n FROM pending_customer_links WHERE lead_id = $1', [leadId]))[0].n);

  it('takes accountId and contactId on a direct creation, returns them and carries them in opportunity.created', async () => {
    const [accountId, contactId] = [randomUUID(), randomUUID()];
    const body = { customer: { name: 'Li Wei', company: 'Acme' }, currency: 'USD', expectedCloseDate: '2026-12-31', expectedAmount: '100' };
    const created = (
      await svc
        .as(rep)
        .post('/api/v1/opportunities')
        .send({ ...body, accountId, contactId })
        .expect(201)
    ).body;
    expect(created).toMatchObject({ accountId, contactId });
    expect((await svc.as(rep).get(`/api/v1/opportunities/${created.id}`).expect(200)).body).toMatchObject({ accountId, contactId });
    expect((await outbox('crm.opportunity.created', created.id))[0].data).toMatchObject({ accountId, contactId });
    const bad = await svc
      .as(rep)
      .post('/api/v1/opportunities')
      .send({ ...body, accountId: 'acme' })
      .expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'accountId' })]);
    const none = (await svc.as(rep).post('/api/v1/opportunities').send(body).expect(201)).body;
    expect(none).toMatchObject({ accountId: null, contactId: null });
  });

  it("links the lead's opportunity when the resolution comes after it, once, with opportunity.customer_linked", async () => {
    const lead = converted();
    await svc.publish(lead);
    const { id } = await ofLead(lead.data.leadId);
    const accountId = randomUUID();
    const r = resolved(lead.data.leadId, accountId);
    const again = resolved(lead.data.leadId, randomUUID());
    await svc.publish(r, r, again);
    await applied(r, again);
    expect(await ofLead(lead.data.leadId)).toEqual({ id, accountId, contactId: r.data.contactId });
    const linked = await outbox('crm.opportunity.customer_linked', id);
    expect(linked).toHaveLength(1);
    expect(linked[0].data).toMatchObject({ opportunityId: id, leadId: lead.data.leadId, accountId, contactId: r.data.contactId });
  });

  it('keeps a resolution that comes first and opens the opportunity with it, with no customer_linked', async () => {
    const lead = converted();
    const accountId = randomUUID();
    const r = resolved(lead.data.leadId, accountId);
    await svc.publish(r);
    await applied(r);
    expect(await pending(lead.data.leadId)).toBe(1);
    await svc.publish(lead);
    const o = await ofLead(lead.data.leadId);
    expect(o).toMatchObject({ accountId, contactId: r.data.contactId });
    expect((await outbox('crm.opportunity.created', o.id))[0].data).toMatchObject({ accountId, contactId: r.data.contactId });
    expect(await outbox('crm.opportunity.customer_linked', o.id)).toEqual([]);
    expect(await pending(lead.data.leadId)).toBe(0);
  });

  it('links the contact alone, without an event, when the lead named no company', async () => {
    const lead = converted();
    await svc.publish(lead);
    const { id } = await ofLead(lead.data.leadId);
    const r = resolved(lead.data.leadId, null);
    await svc.publish(r);
    await applied(r);
    expect(await ofLead(lead.data.leadId)).toEqual({ id, accountId: null, contactId: r.data.contactId });
    expect(await outbox('crm.opportunity.customer_linked', id)).toEqual([]);
  });

  it('re-points opportunities and kept resolutions on merges, restores them on the undos, and a redelivered merge changes nothing', async () => {
    const [loser, survivor, contactLoser, contactSurvivor] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const open = converted();
    await svc.publish(open);
    await ofLead(open.data.leadId);
    const early = converted();
    const resolutions = [resolved(open.data.leadId, loser, contactLoser), resolved(early.data.leadId, loser)];
    await svc.publish(...resolutions);
    await applied(...resolutions);

    const accountMerge = merge('account', survivor, loser);
    const contactMerge = merge('contact', contactSurvivor, contactLoser);
    await svc.publish(accountMerge, contactMerge, { ...accountMerge, id: randomUUID() } as EventEnvelope);
    await applied(accountMerge, contactMerge);
    expect(await ofLead(open.data.leadId)).toMatchObject({ accountId: survivor, contactId: contactSurvivor });
    // The kept resolution moved too, and the opportunity that opens with it is moved back by the undo.
    await svc.publish(early);
    expect(await ofLead(early.data.leadId)).toMatchObject({ accountId: survivor });

    const accountUndo = undo('account', survivor, loser, accountMerge.data.mergeId);
    const contactUndo = undo('contact', contactSurvivor, contactLoser, contactMerge.data.mergeId);
    const late = { ...accountMerge, id: randomUUID() } as EventEnvelope;
    await svc.publish(accountUndo, contactUndo, late);
    await applied(accountUndo, contactUndo, late);
    expect(await ofLead(open.data.leadId)).toMatchObject({ accountId: loser, contactId: contactLoser });
    expect(await ofLead(early.data.leadId)).toMatchObject({ accountId: loser });
    expect(await outbox('crm.opportunity.customer_linked', (await ofLead(early.data.leadId)).id)).toEqual([]);
  });

  it('imports a historical opportunity with the resolution its lead got first', async () => {
    const leadId = historicalId('lead', 'lead-of-H-1');
    const r = resolved(leadId, randomUUID());
    await svc.publish(r);
    await applied(r);
    const record = {
      externalId: 'H-1',
      leadExternalId: 'lead-of-H-1',
      customer: { name: 'Li Wei', company: 'Acme' },
      repId: rep.sub,
      expectedAmount: '100.00',
      currency: 'EUR',
      expectedCloseDate: '2025-05-31',
      createdAt: '2025-03-15T10:00:00Z',
    };
    await svc
      .as(integration)
      .post('/api/v1/history/opportunities')
      .send({ opportunities: [record] })
      .expect(200);
    const id = historicalId('opportunity', 'H-1');
    expect(await ofLead(leadId)).toEqual({ id, accountId: r.data.accountId, contactId: r.data.contactId });
    expect((await outbox('crm.opportunity.created', id))[0].data).toMatchObject({ accountId: r.data.accountId, contactId: r.data.contactId });
    expect(await pending(leadId)).toBe(0);
  });
});
