import { randomUUID } from 'node:crypto';
import { assertErasable, decideErasure, erasedKeys, scrubContactSnapshot, scrubDetail } from './erasure.domain';

describe('erasure of a person (pure)', () => {
  it("takes the person's values out of an entry and keeps its business facts", () => {
    const { detail, values } = scrubDetail('lead.captured', {
      source: 'web_form',
      contact: { name: 'Wang Fang', company: 'Pumps Ltd', email: 'wang@p.example', phone: '+86 138 0000 0000' },
      message: 'Call me on 138',
    });
    expect(detail).toEqual({ source: 'web_form', contact: { name: '[erased]', company: 'Pumps Ltd' } });
    expect(values.sort()).toEqual(['+86 138 0000 0000', 'Call me on 138', 'Wang Fang', 'wang@p.example']);
  });

  it("erases a follow-up's content and drops its feedback and next step, keeping channel and dates", () => {
    const at = '2025-03-01T09:00:00.000Z';
    const { detail } = scrubDetail('lead.followed_up', { channel: 'call', content: 'x', customerFeedback: 'y', nextAction: 'z', nextActionDueAt: at });
    expect(detail).toEqual({ channel: 'call', content: '[erased]', nextActionDueAt: at });
  });

  it("empties a converted lead's product needs, the person's own words, keeping its amount", () => {
    const { detail, values } = scrubDetail('lead.converted', { customer: { name: 'Li' }, productNeeds: ['Li needs 40 pumps'], expectedAmount: '9.50' });
    expect(detail).toEqual({ customer: { name: '[erased]' }, productNeeds: [], expectedAmount: '9.50' });
    expect(values).toContain('Li needs 40 pumps');
  });

  it("erases a contact entry's name but not an account entry's", () => {
    expect(scrubDetail('contact.created', { name: 'Li Wei', title: 'Buyer', accountIds: ['a'] }).detail).toEqual({ name: '[erased]', accountIds: ['a'] });
    expect(scrubDetail('account.created', { name: 'Acme' }).detail).toEqual({ name: 'Acme' });
  });

  it("keeps an order's amounts and drops its customer's contact details", () => {
    const { detail } = scrubDetail('order.drafted', { total: '10.00', currency: 'CNY', customer: { name: 'Li', phone: '123456' }, lines: 2 });
    expect(detail).toEqual({ total: '10.00', currency: 'CNY', customer: { name: '[erased]' }, lines: 2 });
  });

  it("scrubs a merge's snapshot of a contact", () => {
    const { snapshot, values } = scrubContactSnapshot({
      name: 'Li',
      title: 'Buyer',
      emails: ['l@x.example'],
      phones: ['123456'],
      accountIds: ['a'],
      version: 2,
    });
    expect(snapshot).toEqual({ name: '[erased]', title: null, emails: [], phones: [], accountIds: ['a'], version: 2 });
    expect(values).toEqual(['Li', 'Buyer', 'l@x.example', '123456']);
  });

  it('refuses a contact merged into another', () => {
    expect(() => assertErasable({ id: 'c', mergedInto: 's' })).toThrow(expect.objectContaining({ code: 'MERGED_RECORD' }));
  });

  it('announces contact.erased with the ids, the request and who asked', () => {
    const [c, l, o, d, r, q] = Array.from({ length: 6 }, () => randomUUID());
    const scope = { contactIds: [c], leadIds: [l], opportunityIds: [o], orderIds: [d], receivableIds: [r] };
    const now = new Date('2026-01-01T00:00:00Z');
    const { result, events } = decideErasure(c, scope, { requestId: q, by: 'admin', now });
    expect(result).toEqual({ requestId: q, contactId: c, leadIds: [l], opportunityIds: [o], orderIds: [d], receivableIds: [r], erasedAt: now.toISOString() });
    expect(events).toEqual([expect.objectContaining({ type: 'crm.contact.erased', subject: c, data: { ...result, by: 'admin' } })]);
  });

  it('destroys the keys of every record the erasure names, each under its owning service, and none for receivables', () => {
    const scope = { contactIds: ['c1', 'c2'], leadIds: ['l1'], opportunityIds: ['o1'], orderIds: ['d1', 'd2'], receivableIds: ['r1'] };
    expect(erasedKeys(scope)).toEqual([
      { owner: 'customers', keyIds: ['customers:c1', 'customers:c2'] },
      { owner: 'leads', keyIds: ['leads:l1'] },
      { owner: 'opportunities', keyIds: ['opportunities:o1'] },
      { owner: 'orders', keyIds: ['orders:d1', 'orders:d2'] },
    ]);
    expect(erasedKeys({ ...scope, leadIds: [], opportunityIds: [], orderIds: [] })).toEqual([{ owner: 'customers', keyIds: ['customers:c1', 'customers:c2'] }]);
  });
});
