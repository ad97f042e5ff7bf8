import type { EventOf } from '@crm/contracts';
import { cleanAddress, decideAccountCopy, defaultAddresses, type AccountCopy, type Address } from './account.domain';

const billing: Address = { line1: '88 Jianguo Road', city: 'Beijing', postalCode: '100022', country: 'CN' };
const shipping: Address = { line1: 'Dock 4', line2: 'Gate B', city: 'Tianjin', country: 'CN' };
const elsewhere: Address = { line1: '1 Harbour St', city: 'Sydney', country: 'AU' };

const accountEvent = (data: Partial<EventOf<'account.updated'>['data']>) =>
  ({
    type: 'crm.account.updated',
    data: { accountId: 'acc-1', name: 'Acme', version: 2, at: '2026-12-01T10:00:00.000Z', billingAddress: billing, shippingAddress: shipping, ...data },
  }) as EventOf<'account.updated'>;
const copy = (over: Partial<AccountCopy> = {}): AccountCopy => ({
  id: 'acc-1',
  name: 'Acme',
  billingAddress: billing,
  shippingAddress: shipping,
  version: 2,
  updatedAt: '2026-12-01T10:00:00.000Z',
  ...over,
});

describe('decideAccountCopy', () => {
  it('stores a first copy, and a newer or equally new version', () => {
    expect(decideAccountCopy(undefined, accountEvent({})).changes).toEqual(copy());
    expect(decideAccountCopy(copy({ version: 1 }), accountEvent({ name: 'Acme Ltd' })).changes).toMatchObject({ name: 'Acme Ltd', version: 2 });
    expect(decideAccountCopy(copy(), accountEvent({})).changes).toEqual(copy());
  });

  it('never lets a late, older version overwrite a newer copy', () => {
    expect(decideAccountCopy(copy({ version: 3 }), accountEvent({ version: 2, name: 'Old name' }))).toEqual({ changes: null, events: [] });
  });

  it('keeps the addresses an event without them does not mention, and clears them on null', () => {
    const noAddresses = accountEvent({ version: 3, billingAddress: undefined, shippingAddress: undefined });
    expect(decideAccountCopy(copy(), noAddresses).changes).toMatchObject({ billingAddress: billing, shippingAddress: shipping, version: 3 });
    expect(decideAccountCopy(undefined, noAddresses).changes).toMatchObject({ billingAddress: null, shippingAddress: null });
    expect(decideAccountCopy(copy(), accountEvent({ version: 3, billingAddress: null })).changes).toMatchObject({
      billingAddress: null,
      shippingAddress: shipping,
    });
  });
});

describe('defaultAddresses', () => {
  const account = { billingAddress: billing, shippingAddress: shipping };

  it("takes the account's addresses for those the request does not name", () => {
    expect(defaultAddresses({}, account)).toEqual(account);
    expect(defaultAddresses({ shippingAddress: elsewhere }, account)).toEqual({ billingAddress: billing, shippingAddress: elsewhere });
  });

  it('keeps the addresses the request names', () => {
    expect(defaultAddresses({ billingAddress: elsewhere, shippingAddress: elsewhere }, account)).toEqual({
      billingAddress: elsewhere,
      shippingAddress: elsewhere,
    });
  });

  it('has none without an account, or when the account has none', () => {
    expect(defaultAddresses({}, undefined)).toEqual({ billingAddress: null, shippingAddress: null });
    expect(defaultAddresses({}, { billingAddress: null, shippingAddress: shipping })).toEqual({ billingAddress: null, shippingAddress: shipping });
  });
});

describe('cleanAddress', () => {
  it('keeps only the address fields, without empty optional ones', () => {
    const dirty = { ...shipping, line2: '', region: null, extra: 'x' } as unknown as Address;
    expect(cleanAddress(dirty)).toEqual({ line1: 'Dock 4', city: 'Tianjin', country: 'CN' });
    expect(cleanAddress(null)).toBeNull();
  });
});
