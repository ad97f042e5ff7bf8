import { amountOf, consoleLinkOf, noteOf, type TimelineEntry } from './timeline';

const entry = (kind: string, recordKind: TimelineEntry['recordKind'], detail: Record<string, unknown>): TimelineEntry =>
  ({
    id: '1',
    at: '2026-12-04T10:00:00Z',
    kind,
    recordKind,
    recordId: 'r1',
    accountId: 'a',
    contactId: null,
    repId: null,
    team: null,
    detail,
    link: '',
  }) as unknown as TimelineEntry;

describe('account timeline entries', () => {
  it('links each record to its console page; a receivable to its order', () => {
    expect(consoleLinkOf(entry('order.confirmed', 'order', {}))).toBe('/orders/r1');
    expect(consoleLinkOf(entry('opportunity.won', 'opportunity', {}))).toBe('/opportunities/r1');
    expect(consoleLinkOf(entry('receivable.created', 'receivable', { orderId: 'o9' }))).toBe('/orders/o9');
    expect(consoleLinkOf(entry('contact.created', 'contact', {}))).toBeNull();
  });

  it('keeps amounts as the decimal strings the API sent', () => {
    expect(amountOf(entry('payment.received', 'receivable', { amount: '1234.50', currency: 'CNY' }))).toEqual({ amount: '1234.50', currency: 'CNY' });
    expect(amountOf(entry('order.confirmed', 'order', { total: '38690.00', currency: 'CNY' }))).toEqual({ amount: '38690.00', currency: 'CNY' });
    expect(amountOf(entry('lead.qualified', 'lead', { note: 'x' }))).toBeNull();
  });

  it('says the detail that matters for the kind', () => {
    expect(noteOf(entry('order.shipped', 'order', { carrier: 'DHL', trackingNumber: 'T1' }))).toBe('DHL · T1');
    expect(noteOf(entry('lead.followed_up', 'lead', { content: ' called ' }))).toBe('called');
    expect(noteOf(entry('opportunity.stage_changed', 'opportunity', { fromStage: 'a', toStage: 'b' }))).toBe('a → b');
  });
});
