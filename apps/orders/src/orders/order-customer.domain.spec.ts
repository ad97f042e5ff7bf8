import { anOrder } from '../../test/order.fixture';
import type { Address } from '../customers/account.domain';
import { decideCustomerLink } from './order-customer.domain';

const accountId = 'a0000000-0000-4000-8000-000000000001';
const otherAccount = 'a0000000-0000-4000-8000-000000000002';
const contactId = 'c0000000-0000-4000-8000-000000000001';
const billing: Address = { line1: '88 Jianguo Road', city: 'Beijing', country: 'CN' };
const shipping: Address = { line1: 'Dock 4', city: 'Tianjin', country: 'CN' };
const account = { billingAddress: billing, shippingAddress: shipping };
const link = { accountId, contactId };

describe('decideCustomerLink', () => {
  it("gives a draft with no account the link's ids and the account's addresses", () => {
    expect(decideCustomerLink(anOrder(), link, account).changes).toEqual({ accountId, contactId, billingAddress: billing, shippingAddress: shipping });
  });

  it('gives an order past the draft the ids only: its addresses are what was agreed', () => {
    expect(decideCustomerLink(anOrder({ status: 'confirmed' }), link, account).changes).toEqual({ accountId, contactId });
  });

  it("keeps the draft's own addresses and takes only the missing one", () => {
    const own: Address = { line1: '1 Harbour St', city: 'Sydney', country: 'AU' };
    expect(decideCustomerLink(anOrder({ billingAddress: own }), link, account).changes).toEqual({ accountId, contactId, shippingAddress: shipping });
  });

  it('leaves the addresses empty when the copy does not know the account yet', () => {
    expect(decideCustomerLink(anOrder(), { accountId, contactId: null }, undefined).changes).toEqual({ accountId });
  });

  it('fills only the contact of an order on the same account, and nothing of one on another account', () => {
    expect(decideCustomerLink(anOrder({ status: 'shipped', accountId }), link, account).changes).toEqual({ contactId });
    expect(decideCustomerLink(anOrder({ accountId: otherAccount }), link, account).changes).toBeNull();
  });

  it('changes nothing once linked (a redelivery)', () => {
    expect(decideCustomerLink(anOrder({ accountId, contactId, billingAddress: billing, shippingAddress: shipping }), link, account).changes).toBeNull();
  });
});
