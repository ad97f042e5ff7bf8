import type { EventEnvelope } from '@crm/contracts';
import { DomainError, type Decision } from '@crm/domain';
import type { PricedProductLine } from '@crm/money';
import { newEvent } from '@crm/messaging';
import type { NewAlert } from '../alerts/alert.domain';
import type { Address } from '../customers/account.domain';
import { openFeedbackRequest, type FeedbackRequest } from '../feedback/feedback.domain';
import { autoConfirms, type AutoConfirmLimits } from './auto-confirm.domain';
import { nextStatus, type OrderAction, type OrderStatus, type PaymentStatus } from './order-workflow.domain';

/** Who acts when no person does: auto-confirmation, inventory's and finance's answers. */
export const SYSTEM = 'system';

export interface CustomerInfo {
  name: string;
  company?: string;
  email?: string;
  phone?: string;
}

export type HoldKind = 'stock_shortage' | 'erp_refused';

/** The ERP's refusal that holds an order (ADR 0013): the step it refused, its HTTP status and reason. */
export interface ErpRefusal {
  step: 'inventory' | 'finance';
  erpStatus: number;
  reason: string;
  at: string;
}

export interface OrderLine extends PricedProductLine {
  id: string;
}

/** An order as the decisions see it: its row and its lines. */
export interface Order {
  id: string;
  status: OrderStatus;
  opportunityId: string | null;
  repId: string;
  team: string | null;
  customer: CustomerInfo;
  /** The account and contact in the customers service (ADR 0018); a merge re-points them. */
  accountId: string | null;
  contactId: string | null;
  /** The agreed addresses: named by the request, else the account's when drafted. A merge leaves them. */
  billingAddress: Address | null;
  shippingAddress: Address | null;
  region: string | null;
  currency: string;
  total: string;
  paymentTerms: string;
  promisedDeliveryDate: string | null;
  autoConfirmed: boolean;
  paymentStatus: PaymentStatus;
  outstanding: string | null;
  holdReason: string | null;
  holdKind: HoldKind | null;
  erpRefusal: ErpRefusal | null;
  productionPercent: number | null;
  carrier: string | null;
  trackingNumber: string | null;
  cancelReason: string | null;
  createdBy: string;
  version: number;
  createdAt: Date;
  lines: OrderLine[];
}

/** The columns a step may set; the version and `updated_at` move with every step. */
export type OrderColumns = Omit<Order, 'id' | 'lines' | 'version' | 'createdAt'>;

export interface StatusHistoryEntry {
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus;
  by: string;
  note: string | null;
  at: Date;
}

export interface TrackingEntry {
  id: string;
  kind: 'production' | 'shipment' | 'logistics' | 'delivered' | 'quality_problem';
  percent: number | null;
  carrier: string | null;
  trackingNumber: string | null;
  location: string | null;
  note: string | null;
  by: string;
  at: Date;
}

/** One update of the order row (one version), with its history entry when the status moves. */
export interface OrderStep {
  set: Partial<OrderColumns>;
  history?: StatusHistoryEntry;
}

export interface OrderChanges {
  steps: OrderStep[];
  tracking?: TrackingEntry;
  alert?: NewAlert;
  /** More than one audience (an ERP refusal alerts the rep and finance). */
  alerts?: NewAlert[];
  /** Completion opens the after-sales feedback request. */
  feedbackRequest?: FeedbackRequest;
  /** Why a moot answer changed nothing (an inventory answer for an order that moved on). */
  ignored?: string;
}

export interface Actor {
  by: string;
  now: Date;
}

/** A decision under way: the order as it will be, the steps that get it there and their events. */
export interface Plan {
  order: Order;
  changes: OrderChanges;
  events: EventEnvelope[];
}

export interface Move {
  action: OrderAction;
  by: string;
  note?: string;
  set?: Partial<OrderColumns>;
  /** The action's own events besides `order.status_changed`, given the order after the move. */
  events?: (after: Order, at: string) => EventEnvelope[];
}

export const planFor = (order: Order): Plan => ({ order, changes: { steps: [] }, events: [] });
export const decided = ({ changes, events }: Plan): Decision<OrderChanges> => ({ changes, events });

/** One transition: status, history entry and `order.status_changed` with the action's events, or IllegalTransitionError. */
export function move(plan: Plan, m: Move, now: Date): Plan {
  const from = plan.order.status;
  const to = nextStatus(m.action, from);
  const at = now.toISOString();
  const order = { ...plan.order, ...m.set, status: to };
  const step: OrderStep = { set: { ...m.set, status: to }, history: { fromStatus: from, toStatus: to, by: m.by, note: m.note ?? null, at: now } };
  const statusChanged = newEvent('order.status_changed', { subject: order.id, data: { orderId: order.id, from, to, by: m.by, note: m.note, at } });
  return {
    order,
    changes: { ...plan.changes, steps: [...plan.changes.steps, step] },
    events: [...plan.events, statusChanged, ...(m.events?.(order, at) ?? [])],
  };
}

/** The order as `order.drafted` / `order.confirmed` carry it to inventory, finance and analytics. */
export function orderTerms(o: Order) {
  return {
    orderId: o.id,
    opportunityId: o.opportunityId,
    repId: o.repId,
    team: o.team ?? undefined,
    customer: o.customer,
    accountId: o.accountId ?? undefined,
    contactId: o.contactId ?? undefined,
    billingAddress: o.billingAddress ?? undefined,
    shippingAddress: o.shippingAddress ?? undefined,
    region: o.region ?? undefined,
    currency: o.currency,
    lines: eventLinesOf(o.lines),
    total: o.total,
    paymentTerms: o.paymentTerms,
    promisedDeliveryDate: o.promisedDeliveryDate ?? undefined,
  };
}

function confirmed(plan: Plan, by: string, autoConfirmed: boolean, now: Date): Plan {
  return move(
    plan,
    {
      action: 'confirm',
      by,
      note: autoConfirmed ? 'auto-confirmed under the limit' : undefined,
      set: { autoConfirmed },
      events: (o, at) => [newEvent('order.confirmed', { subject: o.id, data: { ...orderTerms(o), by, autoConfirmed, confirmedAt: at } })],
    },
    now,
  );
}

/** Completes the order; after-sales starts with the feedback request the customer answers. */
export function completed(plan: Plan, by: string, now: Date): Plan {
  const done = move(
    plan,
    {
      action: 'complete',
      by,
      events: (o, at) => [
        newEvent('order.completed', { subject: o.id, data: { orderId: o.id, repId: o.repId, currency: o.currency, total: o.total, completedAt: at } }),
      ],
    },
    now,
  );
  return { ...done, changes: { ...done.changes, feedbackRequest: openFeedbackRequest(done.order.id, now) } };
}

/**
 * Submits a draft whose SKUs the catalogue still sells (`unsellable`: those it does not); under the
 * auto-confirm limit of its currency it confirms at once, by `system`.
 */
export function decideSubmit(order: Order, cmd: { unsellable: ReadonlySet<string>; limits: AutoConfirmLimits }, { by, now }: Actor): Decision<OrderChanges> {
  if (cmd.unsellable.size) {
    throw DomainError.conflict('UNKNOWN_SKU', `The catalogue does not sell ${[...cmd.unsellable].join(', ')}: edit the order before submitting it.`);
  }
  let plan = move(
    planFor(order),
    {
      action: 'submit',
      by,
      events: (o, at) => [newEvent('order.submitted', { subject: o.id, data: { orderId: o.id, by, submittedAt: at } })],
    },
    now,
  );
  if (autoConfirms(cmd.limits, plan.order.currency, plan.order.total)) plan = confirmed(plan, SYSTEM, true, now);
  return decided(plan);
}

export const decideConfirm = (order: Order, { by, now }: Actor): Decision<OrderChanges> => decided(confirmed(planFor(order), by, false, now));

/** A manager sends a submitted order back to draft. */
export const decideReject = (order: Order, note: string | undefined, { by, now }: Actor): Decision<OrderChanges> =>
  decided(move(planFor(order), { action: 'reject', by, note }, now));

export function decideCancel(order: Order, reason: string, { by, now }: Actor): Decision<OrderChanges> {
  return decided(
    move(
      planFor(order),
      {
        action: 'cancel',
        by,
        note: reason,
        set: { cancelReason: reason },
        events: (o, at) => [newEvent('order.cancelled', { subject: o.id, data: { orderId: o.id, previousStatus: order.status, reason, by, cancelledAt: at } })],
      },
      now,
    ),
  );
}

/** A manager closes a delivered order even before it is fully paid. */
export const decideComplete = (order: Order, { by, now }: Actor): Decision<OrderChanges> => decided(completed(planFor(order), by, now));

/** An order's lines as its events carry them. */
export const eventLinesOf = (lines: readonly OrderLine[]) =>
  lines.map((l) => ({
    lineId: l.id,
    sku: l.sku,
    productName: l.productName,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    discount: l.discount,
    lineTotal: l.lineTotal,
  }));
