import { randomUUID } from 'node:crypto';
import { createEvent } from '@crm/contracts';
import { eventually, type TestService } from '@crm/testing';
import { admin, createAccount, createContact, managerOf, repOf, startCustomers, type Claims } from '../testing/customers-fixtures';
import { financeEvents as fin, leadEvents as lead, mergeEvents as merge, opportunityEvents as opp, orderEvents as ord } from '../testing/record-events';

/** Business times in the past, one minute apart: entries sort by them, not by when the events arrived. */
const t = (minute: number) => new Date(Date.UTC(2025, 2, 1, 9, minute)).toISOString();
type Entry = { id: string; kind: string; at: string; recordId: string; repId: string | null; link: string; detail: Record<string, unknown> };

describe('customer timeline and summary (real PostgreSQL and Kafka)', () => {
  let svc: TestService;
  const team = 'tl-east';
  const owner = repOf(team);
  const rep = repOf(team);
  const colleague = repOf(team);
  const stranger = repOf(team);
  const managerEast = managerOf(team);
  const managerWest = managerOf('tl-west');
  let accountId: string;
  let contactId: string;
  const leadId = randomUUID();
  const [o1, o2, o3] = [randomUUID(), randomUUID(), randomUUID()];
  const [d1, d2, d3] = [randomUUID(), randomUUID(), randomUUID()];
  const [r1, r2, r3] = [randomUUID(), randomUUID(), randomUUID()];

  const timeline = async (claims: Claims, query = '', subject = `accounts/${accountId}`): Promise<Entry[]> =>
    (await svc.as(claims).get(`/api/v1/${subject}/timeline?limit=200${query}`).expect(200)).body.items;
  const kinds = (entries: Entry[]) => entries.map((e) => e.kind);

  beforeAll(async () => {
    svc = await startCustomers();
    accountId = (await createAccount(svc, admin, { name: 'Timeline Pumps', domains: ['tl-pumps.example'], ownerRepId: owner.sub, team })).id;
    contactId = (
      await createContact(svc, admin, { name: 'Wang Fang', emails: ['wang@tl-pumps.example'], accountIds: [accountId], ownerRepId: owner.sub, team })
    ).id;

    // The lead's steps arrive before anyone knows its account.
    const followUp = lead.followedUp(leadId, rep.sub, t(2), 'Asked for pricing of 10 pumps');
    await svc.publish(
      lead.captured(leadId, t(0)),
      lead.assigned(leadId, rep.sub, team, t(1)),
      followUp,
      followUp, // redelivered: still one entry
      lead.qualified(leadId, t(3)),
    );
    // Its opportunity names no account: it inherits the lead's once that is resolved.
    const deal1 = { opportunityId: o1, leadId, repId: rep.sub, team };
    await svc.publish(opp.created(deal1, '1000.10', 'CNY', t(5)), opp.termsChanged(deal1, '1200.35', 'CNY', t(6)));
    await eventually(async () =>
      expect(
        await svc.dataSource.query('SELECT count(*)::int AS n, count(account_id)::int AS linked FROM timeline_entries WHERE record_id IN ($1, $2)', [
          leadId,
          o1,
        ]),
      ).toEqual([{ n: 6, linked: 0 }]),
    );
  });
  afterAll(() => svc?.close());

  it('fills the account and contact in on earlier entries of the lead and its opportunity once the lead is resolved', async () => {
    await svc.publish(lead.resolved(leadId, contactId, accountId, t(7)));
    await eventually(async () => expect(kinds(await timeline(admin, '&recordKind=lead,opportunity'))).toHaveLength(6));
    const entries = await timeline(admin, '', `contacts/${contactId}`);
    expect(kinds(entries)).toEqual(
      expect.arrayContaining(['lead.captured', 'lead.assigned', 'lead.followed_up', 'lead.qualified', 'opportunity.created', 'opportunity.terms_changed']),
    );
  });

  it("shows a draft order's edits on its account's timeline and keeps the draft's new total", async () => {
    const account = await createAccount(svc, admin, { name: 'Draft Edit Valves', ownerRepId: owner.sub, team });
    const draft = { orderId: randomUUID(), repId: rep.sub, team, accountId: account.id };
    await svc.publish(ord.drafted(draft, '100.10', 'CNY', t(20)), ord.draftUpdated(draft, '133.47', 'CNY', t(21)));
    const entries = await eventually(async () => {
      const found = await timeline(rep, '&recordKind=order', `accounts/${account.id}`);
      expect(kinds(found)).toEqual(['order.draft_updated', 'order.drafted']);
      return found;
    });
    expect(entries[0]).toMatchObject({ recordId: draft.orderId, repId: rep.sub, detail: { total: '133.47', changed: ['lines'], note: 'two more pumps' } });
    const [record] = await svc.dataSource.query('SELECT amount::text, currency, status FROM customer_records WHERE record_id = $1', [draft.orderId]);
    expect(record).toEqual({ amount: '133.4700', currency: 'CNY', status: 'draft' });
  });

  describe('with the rest of the customer history', () => {
    beforeAll(async () => {
      const deal1 = { opportunityId: o1, leadId, repId: rep.sub, team };
      // Converted only now: the customers service's own resolution of it names the same account and contact.
      await svc.publish(
        lead.converted(leadId, rep.sub, team, t(4)),
        opp.won(deal1, '1200.35', 'CNY', t(8)),
        // Direct opportunities, still open: the pipeline in two currencies.
        opp.created({ opportunityId: o2, repId: colleague.sub, team, accountId }, '500.05', 'EUR', t(9)),
        opp.created({ opportunityId: o3, repId: rep.sub, team, accountId }, '300.10', 'CNY', t(10)),
      );
      const order1 = { orderId: d1, opportunityId: o1, repId: rep.sub, team };
      const order2 = { orderId: d2, repId: colleague.sub, team, accountId };
      const order3 = { orderId: d3, repId: colleague.sub, team, accountId };
      const payment = fin.paid(r1, d1, '200.10', '1000.25', 'CNY', t(17));
      // Finance's events come first (another topic: nothing orders them against the orders'): the receivables take
      // their orders' rep and account once the orders arrive.
      await svc.publish(
        fin.created(r1, d1, '1200.35', 'CNY', t(16)),
        payment,
        payment, // redelivered: counted once
        fin.created(r2, d2, '99.99', 'EUR', t(16)),
        fin.paid(r2, d2, '0.99', '99.00', 'EUR', t(19)),
        fin.created(r3, d3, '10.00', 'EUR', t(16)),
        fin.voided(r3, d3, t(17)),
      );
      await eventually(async () =>
        expect((await svc.dataSource.query('SELECT count(*)::int AS n FROM timeline_entries WHERE record_id = ANY($1)', [[r1, r2, r3]]))[0].n).toBe(6),
      );
      await svc.publish(
        ord.drafted(order1, '1200.35', 'CNY', t(11)),
        ord.confirmed(order1, '1200.35', 'CNY', t(12)),
        ord.confirmed(order2, '99.99', 'EUR', t(13)),
        ord.confirmed(order3, '10.00', 'EUR', t(14)),
        ord.cancelled(d3, t(15)),
        ord.shipped(d1, t(18)),
        ord.feedback(d1, rep.sub, 4, t(20)),
        ord.feedback(d2, colleague.sub, 5, t(21)),
      );
      await eventually(async () =>
        expect((await timeline(admin, '&kind=order.feedback_received,order.cancelled,payment.received,receivable.voided,lead.converted')).length).toBe(7),
      );
    });

    it('shows every step newest first by business time, each linking to its record, follow-up contents included', async () => {
      const entries = (await timeline(admin)).filter((e) => !['account.created', 'contact.created'].includes(e.kind));
      const ats = entries.map((e) => e.at);
      expect(ats).toEqual([...ats].sort().reverse());
      expect(kinds(entries).slice(-7)).toEqual([
        'opportunity.terms_changed',
        'opportunity.created',
        'lead.converted',
        'lead.qualified',
        'lead.followed_up',
        'lead.assigned',
        'lead.captured',
      ]);
      const followUp = entries.find((e) => e.kind === 'lead.followed_up')!;
      expect(followUp).toMatchObject({
        at: t(2),
        recordId: leadId,
        repId: rep.sub,
        link: `/api/v1/leads/${leadId}`,
        detail: { content: 'Asked for pricing of 10 pumps', customerFeedback: 'Interested', nextAction: 'Send a quote', channel: 'call' },
      });
      expect(entries.find((e) => e.kind === 'order.shipped')).toMatchObject({ link: `/api/v1/orders/${d1}`, detail: { trackingNumber: 'SF123' } });
      // The receivable of an order with an explicit account, and of an order that inherits through its opportunity.
      expect(entries.filter((e) => e.kind === 'receivable.created').map((e) => e.recordId)).toEqual(expect.arrayContaining([r1, r2, r3]));
      expect(entries.filter((e) => e.kind === 'payment.received')).toHaveLength(2);
      expect(entries.filter((e) => e.kind === 'lead.followed_up')).toHaveLength(1);
    });

    it('filters by kind, record kind, period and rep, and walks the pages with the cursor', async () => {
      expect(kinds(await timeline(admin, '&kind=lead.followed_up'))).toEqual(['lead.followed_up']);
      expect(new Set(kinds(await timeline(admin, '&recordKind=order')))).toEqual(
        new Set(['order.drafted', 'order.confirmed', 'order.cancelled', 'order.shipped', 'order.feedback_received']),
      );
      expect(kinds(await timeline(admin, `&from=${t(3)}&to=${t(5)}`))).toEqual(['lead.converted', 'lead.qualified']);
      const colleagues = await timeline(admin, `&repId=${colleague.sub}`);
      expect(colleagues.length).toBeGreaterThan(0);
      expect(colleagues.every((e) => e.repId === colleague.sub)).toBe(true);

      const all = await timeline(admin);
      const walked: Entry[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Entry[]; nextCursor: string | null } = (
          await svc
            .as(admin)
            .get(`/api/v1/accounts/${accountId}/timeline`)
            .query({ limit: 4, ...(cursor ? { cursor } : {}) })
            .expect(200)
        ).body;
        expect(page.items.length).toBeLessThanOrEqual(4);
        walked.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(walked.map((e) => e.id)).toEqual(all.map((e) => e.id));
      await svc.as(admin).get(`/api/v1/accounts/${accountId}/timeline?recordKind=invoice`).expect(400);
    });

    it("shows a rep only their records' entries and the account's own, in full pages; a manager their team's; others a 404", async () => {
      const all = await timeline(admin);
      const mine = await timeline(rep);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((e) => e.repId === rep.sub || ['account.created', 'contact.created'].includes(e.kind))).toBe(true);
      expect(mine.map((e) => e.id)).toEqual(all.filter((e) => e.repId === rep.sub || ['account.created', 'contact.created'].includes(e.kind)).map((e) => e.id));
      const firstPage = (await svc.as(rep).get(`/api/v1/accounts/${accountId}/timeline?limit=5`).expect(200)).body.items;
      expect(firstPage.map((e: Entry) => e.id)).toEqual(mine.slice(0, 5).map((e) => e.id));
      // A receivable's entries belong to its order's rep.
      expect(mine.filter((e) => e.kind === 'payment.received').map((e) => e.recordId)).toEqual([r1]);
      expect(await timeline(managerEast)).toHaveLength(all.length);
      await svc.as(managerWest).get(`/api/v1/accounts/${accountId}/timeline`).expect(404);
      await svc.as(stranger).get(`/api/v1/accounts/${accountId}/timeline`).expect(404);
      await svc.as(stranger).get(`/api/v1/accounts/${accountId}/summary`).expect(404);
    });

    it('sums the summary to the cent per currency: open pipeline, revenue, outstanding, last contact, satisfaction, reps', async () => {
      const { body } = await svc.as(owner).get(`/api/v1/accounts/${accountId}/summary`).expect(200);
      expect(body).toMatchObject({
        id: accountId,
        openPipeline: [
          { currency: 'CNY', amount: '300.10' },
          { currency: 'EUR', amount: '500.05' },
        ],
        lifetimeRevenue: [
          { currency: 'CNY', amount: '1200.35' },
          { currency: 'EUR', amount: '99.99' },
        ],
        outstandingReceivables: [
          { currency: 'CNY', amount: '1000.25' },
          { currency: 'EUR', amount: '99.00' },
        ],
        lastContact: { at: t(2), channel: 'call', repId: rep.sub, leadId },
        satisfaction: { average: '4.50', count: 2 },
        owner: { repId: owner.sub, team },
      });
      expect(body.reps.map((r: { repId: string }) => r.repId).sort()).toEqual([rep.sub, colleague.sub].sort());
      const contact = (await svc.as(owner).get(`/api/v1/contacts/${contactId}/summary`).expect(200)).body;
      expect(contact.lifetimeRevenue).toEqual([{ currency: 'CNY', amount: '1200.35' }]);
    });

    it('lets a rep see an account they do not own while they have open work on it, and its contacts', async () => {
      const listed = (await svc.as(colleague).get('/api/v1/accounts?limit=200').expect(200)).body.items.map((a: { id: string }) => a.id);
      expect(listed).toContain(accountId);
      await svc.as(colleague).get(`/api/v1/accounts/${accountId}`).expect(200);
      await svc.as(colleague).get(`/api/v1/contacts/${contactId}`).expect(200);
      // Seeing is not owning: edits stay with the owner.
      await svc.as(colleague).patch(`/api/v1/accounts/${accountId}`).set('If-Match', '"1"').send({ industry: 'x' }).expect(404);
      await svc.as(stranger).get(`/api/v1/accounts/${accountId}`).expect(404);
      await svc.as(stranger).get(`/api/v1/contacts/${contactId}`).expect(404);

      // Work that closes takes the account out of sight again.
      const other = await createAccount(svc, admin, { name: 'Elsewhere Valves', ownerRepId: owner.sub, team });
      const deal = { opportunityId: randomUUID(), repId: stranger.sub, team, accountId: other.id };
      await svc.publish(opp.created(deal, '5.00', 'EUR', t(30)));
      await eventually(() => svc.as(stranger).get(`/api/v1/accounts/${other.id}`).expect(200));
      await svc.as(managerWest).get(`/api/v1/accounts/${other.id}`).expect(404);
      await svc.publish(opp.lost(deal, t(31)));
      await eventually(() => svc.as(stranger).get(`/api/v1/accounts/${other.id}`).expect(404));
    });

    it("moves a reassigned lead's whole history to the new rep and their team (from rep.upserted)", async () => {
      const leadB = randomUUID();
      const newRep = repOf('tl-north');
      await svc.publish(
        createEvent('rep.upserted', {
          subject: newRep.sub,
          data: { repId: newRep.sub, name: 'North', email: 'north@crm.example', team: 'tl-north', capacity: 5, active: true, updatedAt: t(50) },
        }),
      );
      await svc.publish(
        lead.captured(leadB, t(50)),
        lead.assigned(leadB, rep.sub, team, t(51)),
        lead.followedUp(leadB, rep.sub, t(52), 'First call'),
        lead.resolved(leadB, contactId, accountId, t(53)),
      );
      await eventually(async () => expect((await timeline(rep)).filter((e) => e.recordId === leadB)).toHaveLength(3));
      await svc.publish(
        createEvent('lead.reassigned', {
          subject: leadB,
          data: { leadId: leadB, fromRepId: rep.sub, toRepId: newRep.sub, reason: 'manual', reassignedAt: t(54), firstFollowUpDueAt: t(60) },
        }),
      );
      await eventually(async () => expect((await timeline(rep)).filter((e) => e.recordId === leadB)).toEqual([]));
      const moved = (await timeline(admin)).filter((e) => e.recordId === leadB);
      expect(moved.map((e) => [e.kind, e.repId])).toEqual(
        ['lead.reassigned', 'lead.followed_up', 'lead.assigned', 'lead.captured'].map((k) => [k, newRep.sub]),
      );
      // The new team's manager sees the contact through the open lead, and of its timeline only that lead and the contact's own entries.
      const north = await timeline(managerOf('tl-north'), '', `contacts/${contactId}`);
      expect(new Set(north.map((e) => (e.recordId === leadB ? 'lead' : e.kind)))).toEqual(new Set(['lead', 'contact.created']));
      const rows = await svc.dataSource.query('SELECT DISTINCT team FROM timeline_entries WHERE record_id = $1', [leadB]);
      expect(rows).toEqual([{ team: 'tl-north' }]);
    });

    it("re-points the merged account's and contact's entries to the survivor, and the undo puts them back", async () => {
      const merged = await createAccount(svc, admin, { name: 'Timeline Pumps Duplicate', ownerRepId: owner.sub, team });
      const person = await createContact(svc, admin, { name: 'Fang Wang', emails: ['fang@tl-dup.example'], ownerRepId: owner.sub, team });
      const orderId = randomUUID();
      await svc.publish(ord.confirmed({ orderId, repId: rep.sub, team, accountId: merged.id, contactId: person.id }, '7.77', 'USD', t(40)));
      const onMerged = async () => (await timeline(admin, '&recordKind=order', `accounts/${merged.id}`)).map((e) => e.recordId);
      await eventually(async () => expect(await onMerged()).toEqual([orderId]));
      const before = (await timeline(admin)).length;

      const accountMerge = randomUUID();
      const contactMerge = randomUUID();
      await svc.publish(merge.accountMerged(accountMerge, accountId, merged.id), merge.contactMerged(contactMerge, contactId, person.id));
      await eventually(async () => {
        expect((await timeline(admin)).filter((e) => e.recordId === orderId)).toHaveLength(1);
        expect((await timeline(admin, '', `contacts/${contactId}`)).filter((e) => e.recordId === orderId)).toHaveLength(1);
      });
      expect(await onMerged()).toEqual([]);
      expect((await svc.as(admin).get(`/api/v1/accounts/${accountId}/summary`).expect(200)).body.lifetimeRevenue).toContainEqual({
        currency: 'USD',
        amount: '7.77',
      });

      await svc.publish(merge.accountUndone(accountMerge, accountId, merged.id), merge.contactUndone(contactMerge, contactId, person.id));
      await eventually(async () => expect(await onMerged()).toEqual([orderId]));
      await eventually(async () => expect((await timeline(admin, '', `contacts/${person.id}`)).map((e) => e.recordId)).toContain(orderId));
      expect((await timeline(admin)).length).toBe(before);
      expect((await svc.as(admin).get(`/api/v1/accounts/${accountId}/summary`).expect(200)).body.lifetimeRevenue).not.toContainEqual(
        expect.objectContaining({ currency: 'USD' }),
      );
    });
  });
});
