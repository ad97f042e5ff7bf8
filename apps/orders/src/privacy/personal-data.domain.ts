import { ERASED } from '@crm/privacy';
import type { CustomerInfo } from '../orders/order.domain';

/** The orders an erasure event names: by their ids, by the contact, by the opportunities they came from. */
export interface ErasureTarget {
  orderIds: string[];
  contactId: string | null;
  opportunityIds: string[];
}

/** An order's personal copies as the erasure finds them. */
export interface PersonalCopy {
  id: string;
  customer: CustomerInfo;
  /** The customer's feedback comment: their own words. */
  comments: string[];
}

export interface Erasure {
  /** The values scrubbed, for the copies no repository owns (forgetPersonalValues) and free texts. */
  values: string[];
  /** What each order's customer becomes: the company stays, it is the account's and not the person's. */
  customers: { id: string; customer: CustomerInfo }[];
}

export const scrubbedCustomer = (c: CustomerInfo): CustomerInfo => (c.company ? { name: ERASED, company: c.company } : { name: ERASED });

/** Decides what an erasure changes on these orders; lines, totals, statuses and the account's addresses stay. */
export function decideErasure(copies: readonly PersonalCopy[]): Erasure {
  const values = new Set<string>();
  for (const { customer, comments } of copies) {
    [customer.name, customer.email, customer.email?.toLowerCase(), customer.phone, ...comments]
      .filter((v): v is string => !!v && v !== ERASED)
      .forEach((v) => values.add(v));
  }
  return { values: [...values], customers: copies.map(({ id, customer }) => ({ id, customer: scrubbedCustomer(customer) })) };
}
