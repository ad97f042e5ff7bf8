import type { EventData } from '@crm/contracts';
import { formatAmount } from '@crm/money';

/**
 * The key an account's purchase history is kept under: the company name when known (case, spacing and a
 * trailing legal form ignored), else the e-mail address. Null when the customer names neither.
 */
export function accountKey(customer: { company?: string | null; email?: string | null }): string | null {
  const company = customer.company
    ?.toLowerCase()
    .replace(/[.,]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ (inc|ltd|llc|gmbh|co|corp|plc|sa|ag|bv)$/, '')
    .trim();
  if (company) return `company:${company}`;
  const email = customer.email?.trim().toLowerCase();
  return email ? `email:${email}` : null;
}

/** One order in an account's purchase history. */
export interface PurchaseEntry {
  orderId: string;
  accountKey: string;
  currency: string;
  total: string;
  confirmedAt: string;
}

/** A confirmed order opens its account's history entry; none when the customer names no company or e-mail. */
export function purchaseOf(order: EventData<'order.confirmed'>): PurchaseEntry | null {
  const key = accountKey(order.customer);
  return key ? { orderId: order.orderId, accountKey: key, currency: order.currency, total: order.total, confirmedAt: order.confirmedAt } : null;
}

/** The non-cancelled orders of an account, as the purchase-history factor reads them. */
export interface Purchases {
  orders: number;
  total: string | null;
  currency: string | null;
}

export interface PurchaseTotals {
  orders: number;
  /** Sum of the totals, whatever their currencies. */
  total: string | null;
  currencies: number;
  /** One of the currencies. */
  currency: string | null;
}

/** What the purchase-history factor explains: a total across currencies means nothing, so then only the count. */
export function purchasesOf(totals: PurchaseTotals | null): Purchases {
  if (!totals) return { orders: 0, total: null, currency: null };
  const single = totals.currencies === 1;
  return { orders: totals.orders, total: single ? formatAmount(totals.total!) : null, currency: single ? totals.currency : null };
}
