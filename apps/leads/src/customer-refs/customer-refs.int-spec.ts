import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { leadsSettings } from '../leads.settings';

const admin = { sub: randomUUID(), roles: ['admin'] };
const now = () => new Date().toISOString();

describe("leads' account and contact (real Kafka and PostgreSQL)", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService('leads', (config) => AppModule.forRoot(config), { settings: leadsSettings });
  });
  afterAll(() => svc?.close());

  const newLead = async (name: string) =>
    (
      await svc
        .as(admin)
        .post('/api/v1/leads')
        .send({ name, email: `${randomUUID()}@refs.example`, source: 'phone' })
        .expect(201)
    ).body.leadId as string;
  const refsOf = async (id: string) => {
    const { accountId, contactId } = (await svc.as(admin).get(`/api/v1/leads/${id}`).expect(200)).body;
    return { accountId, contactId };
  };
  const resolved = (leadId: string, accountId: string | null, contactId: string) =>
    createEvent('contact.lead_resolved', {
      subject: contactId,
      data: { leadId, accountId, contactId, contactCreated: true, accountCreated: !!accountId, resolvedAt: now() },
    });
  const applied = (...events: EventEnvelope[]) =>
    eventually(async () => {
      const [{ n }] = await svc.dataSource.query('SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1::uuid[])', [events.map((e) => e.id)]);
      expect(n).toBe(new Set(events.map((e) => e.id)).size);
    });
  const merge = (kind: 'account' | 'contact', mergeId: string, survivorId: string, mergedId: string) =>
    createEvent(`${kind}.merged`, { subject: survivorId, data: { mergeId, survivorId, mergedId, by: admin.sub, at: now() } });
  const undo = (kind: 'account' | 'contact', mergeId: string, survivorId: string, restoredId: string) =>
    createEvent(`${kind}.merge_undone`, { subject: survivorId, data: { mergeId, survivorId, restoredId, by: admin.sub, at: now() } });

  it('shows null until the lead is resolved, then the account and contact; a later resolution of the same lead changes nothing', async () => {
    const lead = await newLead('Resolved Later');
    expect(await refsOf(lead)).toEqual({ accountId: null, contactId: null });
    const [account, contact] = [randomUUID(), randomUUID()];
    const first = resolved(lead, account, contact);
    const other = resolved(lead, randomUUID(), randomUUID());
    await svc.publish(first, first, other);
    await applied(first, other);
    expect(await refsOf(lead)).toEqual({ accountId: account, contactId: contact });

    const solo = await newLead('No Company');
    const contactOnly = resolved(solo, null, randomUUID());
    await svc.publish(contactOnly);
    await applied(contactOnly);
    expect(await refsOf(solo)).toEqual({ accountId: null, contactId: contactOnly.data.contactId });
  });

  it('re-points leads on an account merge and a contact merge, restores them on the undos, and a redelivery changes nothing more', async () => {
    const [loser, survivor, other, contactA, contactB, contactS] = Array.from({ length: 6 }, () => randomUUID());
    const [l1, l2, l3] = [await newLead('Merge One'), await newLead('Merge Two'), await newLead('Elsewhere')];
    const resolutions = [resolved(l1, loser, contactA), resolved(l2, loser, contactB), resolved(l3, other, contactS)];
    await svc.publish(...resolutions);
    await applied(...resolutions);

    const accountMerge = merge('account', randomUUID(), survivor, loser);
    const contactMerge = merge('contact', randomUUID(), contactS, contactA);
    await svc.publish(accountMerge, contactMerge, { ...accountMerge, id: randomUUID() } as EventEnvelope);
    await eventually(async () => expect(await refsOf(l1)).toEqual({ accountId: survivor, contactId: contactS }));
    expect(await refsOf(l2)).toEqual({ accountId: survivor, contactId: contactB });
    expect(await refsOf(l3)).toEqual({ accountId: other, contactId: contactS });

    const accountUndo = undo('account', accountMerge.data.mergeId, survivor, loser);
    const contactUndo = undo('contact', contactMerge.data.mergeId, contactS, contactA);
    await svc.publish(accountUndo, contactUndo);
    await eventually(async () => expect(await refsOf(l1)).toEqual({ accountId: loser, contactId: contactA }));
    expect(await refsOf(l2)).toEqual({ accountId: loser, contactId: contactB });
    expect(await refsOf(l3)).toEqual({ accountId: other, contactId: contactS });

    // The merge again (a redelivery under a new id) after its undo: nothing moves.
    const late = { ...accountMerge, id: randomUUID() } as EventEnvelope;
    await svc.publish(late, accountMerge);
    await applied(late);
    expect(await refsOf(l1)).toEqual({ accountId: loser, contactId: contactA });
    expect(await refsOf(l2)).toEqual({ accountId: loser, contactId: contactB });
  });

  it('ignores a merge whose undo arrived first', async () => {
    const [loser, survivor, contact] = [randomUUID(), randomUUID(), randomUUID()];
    const lead = await newLead('Undo First');
    const r = resolved(lead, loser, contact);
    await svc.publish(r);
    await applied(r);
    const mergeId = randomUUID();
    const early = undo('account', mergeId, survivor, loser);
    const merged = merge('account', mergeId, survivor, loser);
    await svc.publish(early, merged);
    await applied(early, merged);
    expect(await refsOf(lead)).toEqual({ accountId: loser, contactId: contact });
  });
});
