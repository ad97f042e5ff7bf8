import { randomUUID } from 'node:crypto';
import type { EventData } from '@crm/contracts';
import { accountKey, purchaseOf, purchasesOf } from './account.domain';

describe('accountKey', () => {
  it('normalises the company name, falls back to the e-mail', () => {
    expect(accountKey({ company: '  Acme   Trading Ltd. ' })).toBe('company:acme trading');
    expect(accountKey({ company: 'ACME trading', email: 'x@y.example' })).toBe('company:acme trading');
    expect(accountKey({ email: ' Li.Wei@Acme.Example ' })).toBe('email:li.wei@acme.example');
    expect(accountKey({ company: ' ' })).toBeNull();
  });
});

describe('purchaseOf', () => {
  const order = (customer: EventData<'order.confirmed'>['customer']) =>
    ({ orderId: randomUUID(), customer, currency: 'USD', total: '700.00', confirmedAt: '2026-01-02T03:04:05.000Z' }) as EventData<'order.confirmed'>;

  it('files a confirmed order under its account, or nowhere when the customer names no company or e-mail', () => {
    const confirmed = order({ name: 'Other contact', company: 'Repeat Buyers GmbH' });
    expect(purchaseOf(confirmed)).toEqual({
      orderId: confirmed.orderId,
      accountKey: 'company:repeat buyers',
      currency: 'USD',
      total: '700.00',
      confirmedAt: confirmed.confirmedAt,
    });
    expect(purchaseOf(order({ name: 'Walk-in' }))).toBeNull();
  });
});

describe('purchasesOf', () => {
  it('explains a total only in a single currency', () => {
    expect(purchasesOf(null)).toEqual({ orders: 0, total: null, currency: null });
    expect(purchasesOf({ orders: 2, total: '1200.5', currencies: 1, currency: 'USD' })).toEqual({ orders: 2, total: '1200.50', currency: 'USD' });
    expect(purchasesOf({ orders: 3, total: '99', currencies: 2, currency: 'EUR' })).toEqual({ orders: 3, total: null, currency: null });
    expect(purchasesOf({ orders: 0, total: null, currencies: 0, currency: null })).toEqual({ orders: 0, total: null, currency: null });
  });
});
