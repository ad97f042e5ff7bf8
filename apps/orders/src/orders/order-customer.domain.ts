import type { EventOf } from '@crm/contracts';
import type { Decision } from '@crm/domain';
import type { OrderAddresses } from '../customers/account.domain';
import type { Order, OrderColumns } from './order.domain';

type Link = Pick<EventOf<'opportunity.customer_linked'>['data'], 'accountId' | 'contactId'>;
type LinkedOrder = Pick<Order, 'status' | 'accountId' | 'contactId' | 'billingAddress' | 'shippingAddress'>;

/**
 * `opportunity.customer_linked` on one of the opportunity's orders, in any status (the ids are references, not
 * terms): an order with no account takes the link's account, and its contact unless it has one; an order already
 * on that account takes the contact if it has none. An order on another account keeps it (a merge moves it, not a
 * link). A draft on the link's account takes the account's addresses where it has none (`account`: the copy's,
 * undefined when it does not know the account); past the draft the addresses are what was agreed.
 * `changes` is null when there is nothing to change (a redelivery, an order linked already).
 */
export function decideCustomerLink(order: LinkedOrder, link: Link, account: OrderAddresses | undefined): Decision<Partial<OrderColumns> | null> {
  const set: Partial<OrderColumns> = {};
  if (order.accountId === null) {
    set.accountId = link.accountId;
    if (order.contactId === null && link.contactId) set.contactId = link.contactId;
  } else if (order.accountId === link.accountId && order.contactId === null && link.contactId) {
    set.contactId = link.contactId;
  }
  if (order.status === 'draft' && (set.accountId ?? order.accountId) === link.accountId && account) {
    if (!order.billingAddress && account.billingAddress) set.billingAddress = account.billingAddress;
    if (!order.shippingAddress && account.shippingAddress) set.shippingAddress = account.shippingAddress;
  }
  return { changes: Object.keys(set).length ? set : null, events: [] };
}
