import { ERASED } from '@crm/privacy';
import type { CustomerInfo } from '../opportunities/opportunity.domain';

/** The opportunities an erasure event names: by their ids, by the contact, by the leads they came from. */
export interface ErasureTarget {
  opportunityIds: string[];
  contactId: string | null;
  leadIds: string[];
  /** Orders whose purchase-history entry may be keyed by the person's e-mail. */
  orderIds: string[];
}

/** An opportunity's personal copy as the erasure finds it. */
export interface PersonalCopy {
  id: string;
  customer: CustomerInfo;
  accountKey: string | null;
}

export interface Erasure {
  /** The values scrubbed, for the copies no repository owns (forgetPersonalValues) and free texts. */
  values: string[];
  /** What each opportunity's customer becomes: the company stays, it is the account's and not the person's. */
  customers: { id: string; customer: CustomerInfo }[];
  /** Purchase-history keys made of the person's e-mail and their anonymous replacement. */
  accountKeys: { from: string; to: string }[];
}

const personal = (c: CustomerInfo): string[] => [c.name, c.email, c.email?.toLowerCase(), c.phone].filter((v): v is string => !!v && v !== ERASED);

export const scrubbedCustomer = (c: CustomerInfo): CustomerInfo => (c.company ? { name: ERASED, company: c.company } : { name: ERASED });

/**
 * Decides what an erasure changes on these opportunities. An account key made of the e-mail (`email:…`, when the
 * customer named no company) is replaced by an anonymous one, the same for every record that shared it, so the
 * purchase history still counts its orders together.
 */
export function decideErasure(copies: readonly PersonalCopy[], historyKeys: readonly string[], newKey: () => string): Erasure {
  const values = new Set<string>();
  const accountKeys = new Map<string, string>();
  for (const { customer } of copies) personal(customer).forEach((v) => values.add(v));
  for (const key of [...copies.map((c) => c.accountKey), ...historyKeys]) {
    if (!key?.startsWith('email:') || accountKeys.has(key)) continue;
    accountKeys.set(key, `erased:${newKey()}`);
    values.add(key.slice('email:'.length));
  }
  return {
    values: [...values],
    customers: copies.map(({ id, customer }) => ({ id, customer: scrubbedCustomer(customer) })),
    accountKeys: [...accountKeys].map(([from, to]) => ({ from, to })),
  };
}
