// The historical import of orders as pure rules: which status histories the workflow allows, and what one
// record stores and publishes, each event at the moment it describes.
import { createEvent, historicalId, type EventEnvelope } from '@crm/contracts';
import { chronologyIssues, DomainError, type DomainFieldIssue } from '@crm/domain';
import { sumAmounts } from '@crm/money';
import { eventLinesOf, type CustomerInfo, type Order, type OrderLine } from '../orders/order.domain';
import { pricedLines } from '../orders/order-draft.domain';
import { TRANSITIONS, type OrderAction, type OrderStatus, type PaymentStatus } from '../orders/order-workflow.domain';

export interface OrderHistoryRecord {
  externalId: string;
  opportunityExternalId?: string;
  customer: CustomerInfo;
  repId: string;
  team?: string;
  region?: string;
  currency: string;
  lines: { sku: string; productName: string; quantity: number; unitPrice: string; discount?: string }[];
  paymentTerms?: string;
  promisedDeliveryDate?: string;
  createdAt: string;
  statusChanges?: { status: string; at: string; note?: string }[];
  paymentStatus?: PaymentStatus;
  carrier?: string;
  trackingNumber?: string;
  cancelReason?: string;
}

export interface OrderHistoryPlan {
  /** The order's row as the live workflow would have left it, but created when the previous system created it. */
  row: Omit<
    Order,
    | 'autoConfirmed'
    | 'holdKind'
    | 'erpRefusal'
    | 'productionPercent'
    | 'version'
    | 'createdAt'
    | 'lines'
    | 'accountId'
    | 'contactId'
    | 'billingAddress'
    | 'shippingAddress'
  > & { createdAt: string };
  lines: OrderLine[];
  history: { fromStatus: OrderStatus | null; toStatus: OrderStatus; by: string; note: string | null; at: string }[];
  events: EventEnvelope[];
}

/** The workflow action that leads from `from` to `to`, if any. */
function actionBetween(from: OrderStatus, to: string): OrderAction | undefined {
  return (Object.keys(TRANSITIONS) as OrderAction[]).find((a) => TRANSITIONS[a].to === to && (TRANSITIONS[a].from as readonly OrderStatus[]).includes(from));
}

const paymentOf = (r: OrderHistoryRecord, status: OrderStatus): PaymentStatus => r.paymentStatus ?? (status === 'completed' ? 'paid' : 'unpaid');
const finalStatus = (r: OrderHistoryRecord): OrderStatus => (r.statusChanges?.at(-1)?.status as OrderStatus | undefined) ?? 'draft';

/** What is wrong with one record beyond its field formats: the workflow's order of statuses, dates in order, what each status needs. */
export function orderHistoryIssues(r: OrderHistoryRecord, now: Date): DomainFieldIssue[] {
  const issues: DomainFieldIssue[] = [];
  let status: OrderStatus = 'draft';
  for (const [i, change] of (r.statusChanges ?? []).entries()) {
    if (!actionBetween(status, change.status)) {
      issues.push({ field: `statusChanges[${i}].status`, message: `an order cannot go from ${status} to ${change.status}`, constraint: 'workflow' });
      break;
    }
    status = change.status as OrderStatus;
  }
  const went = (s: OrderStatus) => (r.statusChanges ?? []).some((c) => c.status === s);
  if (went('shipped') && (!r.carrier || !r.trackingNumber))
    issues.push({ field: 'carrier', message: 'a shipped order needs carrier and trackingNumber', constraint: 'required' });
  if (went('cancelled') !== (r.cancelReason !== undefined))
    issues.push({ field: 'cancelReason', message: 'a cancelled order, and only one, has a cancelReason', constraint: 'together' });
  if (went('completed') && paymentOf(r, 'completed') !== 'paid')
    issues.push({ field: 'paymentStatus', message: 'only a paid order is completed', constraint: 'paidToComplete' });
  try {
    pricedLines(r.lines);
  } catch (err) {
    if (!(err instanceof DomainError && err.fields)) throw err;
    issues.push(...err.fields);
  }
  issues.push(...chronologyIssues([['createdAt', r.createdAt], ...(r.statusChanges ?? []).map((c, i) => [`statusChanges[${i}].at`, c.at] as const)], now));
  return issues;
}

/**
 * One valid record → its row, lines, status history and events: order.drafted, then per change
 * order.status_changed with the change's own event. order.confirmed and order.cancelled are marked
 * historical: inventory deducts no stock and finance opens no receivable for an order settled elsewhere.
 */
export function decideOrderHistory(r: OrderHistoryRecord, ctx: { by: string; correlationId: string }): OrderHistoryPlan {
  const id = historicalId('order', r.externalId);
  const opportunityId = r.opportunityExternalId ? historicalId('opportunity', r.opportunityExternalId) : null;
  const lines: OrderLine[] = pricedLines(r.lines).map((l, i) => ({ ...l, id: historicalId('order_line', `${r.externalId}#${i}`) }));
  const total = sumAmounts(lines.map((l) => l.lineTotal));
  const createdAt = new Date(r.createdAt).toISOString();
  const paymentTerms = r.paymentTerms ?? 'NET30';
  const by = r.repId;
  const terms = {
    orderId: id,
    opportunityId,
    repId: r.repId,
    team: r.team,
    customer: r.customer,
    region: r.region,
    currency: r.currency,
    lines: eventLinesOf(lines),
    total,
    paymentTerms,
    promisedDeliveryDate: r.promisedDeliveryDate,
  };
  const event = (time: string) => ({ subject: id, time, correlationId: ctx.correlationId });
  const events: EventEnvelope[] = [createEvent('order.drafted', { ...event(createdAt), data: { ...terms, by, draftedAt: createdAt } })];
  const history: OrderHistoryPlan['history'] = [{ fromStatus: null, toStatus: 'draft', by, note: null, at: createdAt }];
  let status: OrderStatus = 'draft';
  let holdReason: string | null = null;
  for (const change of r.statusChanges ?? []) {
    const at = new Date(change.at).toISOString();
    const to = change.status as OrderStatus;
    const action = actionBetween(status, to) as OrderAction;
    history.push({ fromStatus: status, toStatus: to, by, note: change.note ?? null, at });
    events.push(createEvent('order.status_changed', { ...event(at), data: { orderId: id, from: status, to, by, note: change.note, at } }));
    const specific = {
      submit: () => createEvent('order.submitted', { ...event(at), data: { orderId: id, by, submittedAt: at } }),
      confirm: () => createEvent('order.confirmed', { ...event(at), data: { ...terms, by, autoConfirmed: false, confirmedAt: at, historical: true } }),
      hold: () => createEvent('order.on_hold', { ...event(at), data: { orderId: id, repId: r.repId, reason: change.note ?? 'on hold', shortages: [], at } }),
      allocate: () => createEvent('order.allocated', { ...event(at), data: { orderId: id, at } }),
      ship: () =>
        createEvent('order.shipped', {
          ...event(at),
          data: { orderId: id, carrier: r.carrier as string, trackingNumber: r.trackingNumber as string, shippedAt: at },
        }),
      deliver: () => createEvent('order.delivered', { ...event(at), data: { orderId: id, deliveredAt: at } }),
      complete: () => createEvent('order.completed', { ...event(at), data: { orderId: id, repId: r.repId, currency: r.currency, total, completedAt: at } }),
      cancel: () =>
        createEvent('order.cancelled', {
          ...event(at),
          data: { orderId: id, previousStatus: status, reason: r.cancelReason as string, by, cancelledAt: at, historical: true },
        }),
    }[action as string];
    if (specific) events.push(specific() as EventEnvelope);
    if (to === 'on_hold') holdReason = change.note ?? 'on hold';
    status = to;
  }
  const paymentStatus = paymentOf(r, finalStatus(r));
  return {
    row: {
      id,
      status,
      opportunityId,
      repId: r.repId,
      team: r.team ?? null,
      customer: r.customer,
      region: r.region ?? null,
      currency: r.currency,
      total,
      paymentTerms,
      promisedDeliveryDate: r.promisedDeliveryDate ?? null,
      paymentStatus,
      outstanding: paymentStatus === 'paid' ? '0' : null,
      holdReason: status === 'on_hold' ? holdReason : null,
      carrier: r.carrier ?? null,
      trackingNumber: r.trackingNumber ?? null,
      cancelReason: r.cancelReason ?? null,
      createdBy: ctx.by,
      createdAt,
    },
    lines,
    history,
    events,
  };
}
