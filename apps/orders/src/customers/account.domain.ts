import type { EventOf } from '@crm/contracts';
import type { Decision } from '@crm/domain';

/** A postal address as orders and accounts carry it (`Address` in libs/contracts). */
export interface Address {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode?: string;
  country: string;
}

/** An order's two addresses; null where there is none. */
export interface OrderAddresses {
  billingAddress: Address | null;
  shippingAddress: Address | null;
}

/** The orders service's copy of an account (the customers service's `account.created` / `account.updated`). */
export interface AccountCopy extends OrderAddresses {
  id: string;
  name: string;
  /** The account's version in the customers service: the newer one wins. */
  version: number;
  updatedAt: string;
}

/** The address with only its own fields, and no empty optional ones: what the order events' contract accepts. */
export function cleanAddress(a: Partial<Record<keyof Address, string | null>> | null | undefined): Address | null {
  if (!a?.line1 || !a.city || !a.country) return null;
  const address: Address = { line1: a.line1, city: a.city, country: a.country };
  for (const key of ['line2', 'region', 'postalCode'] as const) {
    const value = a[key];
    if (value) address[key] = value;
  }
  return address;
}

/**
 * The copy after an account event. A late, older version never overwrites a newer copy; the same version (a
 * redelivery) writes the same again. An event without the address fields (published before they existed) keeps
 * the addresses the copy has; `null` clears them.
 */
export function decideAccountCopy(
  current: AccountCopy | undefined,
  { data }: EventOf<'account.created'> | EventOf<'account.updated'>,
): Decision<AccountCopy | null> {
  if (current && current.version > data.version) return { changes: null, events: [] };
  const keep = (incoming: Address | null | undefined, kept: Address | null | undefined) => (incoming === undefined ? (kept ?? null) : cleanAddress(incoming));
  return {
    changes: {
      id: data.accountId,
      name: data.name,
      billingAddress: keep(data.billingAddress, current?.billingAddress),
      shippingAddress: keep(data.shippingAddress, current?.shippingAddress),
      version: data.version,
      updatedAt: data.at,
    },
    events: [],
  };
}

/**
 * An order's addresses when it is drafted: each address the request names is kept; each it does not name is the
 * account's (from the copy, as it is now), or none when the order has no account or the copy does not know it yet.
 */
export function defaultAddresses(
  given: { billingAddress?: Address | null; shippingAddress?: Address | null },
  account: OrderAddresses | undefined,
): OrderAddresses {
  return {
    billingAddress: cleanAddress(given.billingAddress) ?? account?.billingAddress ?? null,
    shippingAddress: cleanAddress(given.shippingAddress) ?? account?.shippingAddress ?? null,
  };
}
