import { randomUUID } from 'node:crypto';
import { createEvent } from '@crm/contracts';
import { recordLink, TIMELINE_EVENT_NAMES, timelineFact } from './timeline.domain';

const id = () => randomUUID();
const at = '2025-03-04T09:30:00.000Z';

describe('timeline entries and record changes', () => {
  it('makes a follow-up entry with its content, feedback and next action, at the time of the follow-up', () => {
    const leadId = id();
    const rep = id();
    const event = createEvent('lead.followed_up', {
      subject: leadId,
      time: '2026-01-01T00:00:00.000Z',
      data: {
        leadId,
        followUpId: id(),
        repId: rep,
        channel: 'call',
        at,
        content: 'Asked for a quote',
        customerFeedback: 'Keen',
        nextAction: 'Send quote',
        nextActionDueAt: at,
      },
    });
    const { entry, record } = timelineFact(event);
    expect(entry).toMatchObject({
      kind: 'lead.followed_up',
      recordKind: 'lead',
      recordId: leadId,
      at,
      detail: { repId: rep, channel: 'call', content: 'Asked for a quote', customerFeedback: 'Keen', nextAction: 'Send quote', nextActionDueAt: at },
    });
    expect(record).toEqual({ recordKind: 'lead', recordId: leadId, followUpAt: at });
  });

  it('leaves absent optional fields out of the detail', () => {
    const leadId = id();
    const { entry } = timelineFact(createEvent('lead.qualified', { subject: leadId, data: { leadId, by: 'u1', qualifiedAt: at } }));
    expect(entry?.detail).toEqual({ by: 'u1' });
  });

  it('links a lead through contact.lead_resolved, with no entry of its own', () => {
    const [leadId, contactId, accountId] = [id(), id(), id()];
    const fact = timelineFact(
      createEvent('contact.lead_resolved', {
        subject: contactId,
        data: { leadId, contactId, accountId, contactCreated: true, accountCreated: false, resolvedAt: at },
      }),
    );
    expect(fact).toEqual({ record: { recordKind: 'lead', recordId: leadId, link: { accountId, contactId } } });
  });

  it('gives an opportunity its lead as parent, and its own account only when the event names one', () => {
    const base = {
      opportunityId: id(),
      leadId: id(),
      repId: id(),
      customer: { name: 'Li' },
      expectedAmount: '100.10',
      currency: 'CNY',
      expectedCloseDate: '2025-06-01',
      stage: 'proposal',
      createdAt: at,
    };
    const plain = timelineFact(createEvent('opportunity.created', { subject: base.opportunityId, data: base })).record;
    expect(plain).toMatchObject({ parentId: base.leadId, link: undefined, open: true, amount: '100.10', currency: 'CNY' });
    const accountId = id();
    const linked = timelineFact(createEvent('opportunity.created', { subject: base.opportunityId, data: { ...base, accountId } })).record;
    expect(linked?.link).toEqual({ accountId, contactId: null });
  });

  it('keeps the latest terms of an open opportunity and closes it when won or lost', () => {
    const opportunityId = id();
    const terms = timelineFact(
      createEvent('opportunity.terms_changed', {
        subject: opportunityId,
        data: {
          opportunityId,
          repId: id(),
          expectedAmount: '250.00',
          currency: 'EUR',
          expectedCloseDate: '2025-07-01',
          lines: [],
          changed: ['expectedAmount'],
          by: 'u',
          changedAt: at,
        },
      }),
    );
    expect(terms.record).toMatchObject({ amount: '250.00', currency: 'EUR' });
    const lost = timelineFact(
      createEvent('opportunity.lost', { subject: opportunityId, data: { opportunityId, repId: id(), stage: 'proposal', reason: 'price', lostAt: at } }),
    );
    expect(lost.record).toMatchObject({ status: 'lost', open: false });
  });

  it("shows what a draft's edit changed and keeps the draft's new total", () => {
    const orderId = id();
    const edited = timelineFact(
      createEvent('order.draft_updated', {
        subject: orderId,
        data: {
          orderId,
          opportunityId: null,
          repId: id(),
          customer: { name: 'Li' },
          currency: 'CNY',
          lines: [{ lineId: id(), sku: 'P-1', productName: 'Pump', quantity: 3, unitPrice: '33.37', lineTotal: '100.11' }],
          total: '100.11',
          paymentTerms: 'NET30',
          changed: ['lines', 'paymentTerms'],
          by: 'u',
          updatedAt: at,
        },
      }),
    );
    expect(edited.entry).toMatchObject({
      kind: 'order.draft_updated',
      recordKind: 'order',
      at,
      detail: { total: '100.11', changed: ['lines', 'paymentTerms'], by: 'u' },
    });
    expect(edited.record).toEqual({ recordKind: 'order', recordId: orderId, amount: '100.11', currency: 'CNY' });
  });

  it('counts a payment and closes the receivable once nothing is owed', () => {
    const data = { paymentId: id(), receivableId: id(), orderId: id(), amount: '40.00', currency: 'EUR', receivedAt: at };
    const partial = timelineFact(createEvent('payment.received', { subject: data.receivableId, data: { ...data, outstanding: '60.00' } })).record;
    expect(partial).toMatchObject({ parentId: data.orderId, paid: '40.00', status: 'partly_paid' });
    expect(partial?.open).toBeUndefined();
    const full = timelineFact(createEvent('payment.received', { subject: data.receivableId, data: { ...data, outstanding: '0.00' } })).record;
    expect(full).toMatchObject({ status: 'paid', open: false });
  });

  it('marks order alerts and keeps the tracking of a shipment', () => {
    const orderId = id();
    const hold = timelineFact(createEvent('order.on_hold', { subject: orderId, data: { orderId, repId: id(), reason: 'short', at } }));
    expect(hold.entry?.detail).toMatchObject({ alert: true, holdKind: 'stock_shortage' });
    const shipped = timelineFact(createEvent('order.shipped', { subject: orderId, data: { orderId, carrier: 'SF', trackingNumber: 'SF1', shippedAt: at } }));
    expect(shipped.entry?.detail).toEqual({ carrier: 'SF', trackingNumber: 'SF1' });
  });

  it("places an account's own entry on the account and a contact's on its first account", () => {
    const [accountId, contactId] = [id(), id()];
    const account = timelineFact(
      createEvent('account.created', {
        subject: accountId,
        data: { accountId, name: 'Acme', domains: [], industry: null, size: null, region: null, ownerRepId: null, team: 't', version: 1, by: 'u', at },
      }),
    );
    expect(account.entry?.own).toEqual({ accountId, contactId: null, repId: null, team: 't' });
    const contact = timelineFact(
      createEvent('contact.created', {
        subject: contactId,
        data: { contactId, name: 'Li', title: null, emails: [], phones: [], preferredChannel: null, accountIds: [accountId], version: 1, by: 'u', at },
      }),
    );
    expect(contact.entry?.own).toMatchObject({ accountId, contactId });
  });

  it('ignores events that say nothing about a customer, and lists the ones it follows', () => {
    expect(timelineFact({ type: 'crm.stock.low', data: {} })).toEqual({});
    expect(TIMELINE_EVENT_NAMES).toEqual(
      expect.arrayContaining(['lead.converted', 'order.feedback_received', 'receivable.voided', 'opportunity.customer_linked']),
    );
  });

  it('gives a handed-over opportunity or order to its new owner, with the reason in the entry', () => {
    const [opportunityId, orderId, from, to, handOverId] = [id(), id(), id(), id(), id()];
    const moved = { fromRepId: from, toRepId: to, team: 'east', reason: 'leaves the company', handOverId, by: 'manager-1', reassignedAt: at };
    const o = timelineFact(createEvent('opportunity.reassigned', { subject: opportunityId, data: { opportunityId, ...moved } }));
    expect(o.entry).toMatchObject({
      kind: 'opportunity.reassigned',
      recordId: opportunityId,
      at,
      detail: { toRepId: to, reason: 'leaves the company', handOverId },
    });
    expect(o.record).toEqual({ recordKind: 'opportunity', recordId: opportunityId, repId: to, team: 'east' });
    const d = timelineFact(createEvent('order.reassigned', { subject: orderId, data: { orderId, opportunityId, status: 'shipped', ...moved } }));
    expect(d.entry).toMatchObject({ kind: 'order.reassigned', recordKind: 'order', detail: { fromRepId: from, toRepId: to, status: 'shipped' } });
    expect(d.record).toEqual({ recordKind: 'order', recordId: orderId, repId: to, team: 'east' });
  });

  it('links each entry to its record on the service that owns it', () => {
    expect(recordLink('lead', 'x')).toBe('/api/v1/leads/x');
    expect(recordLink('receivable', 'y')).toBe('/api/v1/receivables/y');
  });
});
