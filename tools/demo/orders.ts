// Orders in every state: drafted by the orders service from each won deal, plus direct repeat orders.
// Each is driven through the real workflow — submit (rep), confirm (manager), inventory's answer (allocated,
// or on hold for the scarce item), production and shipping reports, delivery, payments in finance (deposits,
// balances, one early completion by a manager), cancellations with stock released and the receivable voided,
// and feedback on completed orders, one of them a complaint.
import Big from 'big.js';
import { formatAmount } from '@crm/money';
import { ifMatch, listAll, unwrap, type ApiResult, type components } from '@crm/api-client';
import { api, eventually, inParallel, send, type Actor } from './client';
import { onHand, SCARCE_SKU, ITEMS } from './catalogue';
import { ADMIN, integration, type People } from './people';
import { linesFor, type Deal } from './pipeline';
import { dateIn, type Rng } from './random';

export type Final = 'draft' | 'submitted' | 'on_hold' | 'allocated' | 'in_production' | 'shipped' | 'delivered' | 'completed' | 'cancelled';

interface OrderPlan {
  final: Final;
  /** Where a cancelled order is cancelled from (what it undoes differs). */
  cancelFrom?: 'draft' | 'on_hold' | 'allocated';
  /** A deposit (30 %) once production starts; the balance after delivery completes the order. */
  deposit?: boolean;
  balance?: boolean;
  /** A manager completes a delivered order before it is paid in full. */
  managerCompletes?: boolean;
  qualityProblem?: boolean;
  /** Promised delivery date already passed: the delay job alerts the rep. */
  late?: boolean;
  scarce?: boolean;
}

const p = (final: Final, rest: Omit<OrderPlan, 'final'> = {}): OrderPlan => ({ final, ...rest });
/** For orders drafted from won deals, in turn. */
const FROM_WON: OrderPlan[] = [
  p('completed', { deposit: true, balance: true }),
  p('delivered', { deposit: true }),
  p('completed', { balance: true }),
  p('shipped', { deposit: true }),
  p('in_production', { deposit: true }),
  p('completed', { deposit: true, balance: true }),
  p('allocated'),
  p('submitted'),
  p('draft'),
  p('cancelled', { cancelFrom: 'allocated', deposit: true }),
  p('delivered'),
  p('shipped'),
  p('completed', { balance: true }),
];
/** Direct (repeat) orders. */
const DIRECT: OrderPlan[] = [
  p('completed', { deposit: true, balance: true }),
  p('completed', { balance: true }),
  p('completed', { deposit: true, managerCompletes: true }),
  p('completed', { deposit: true, balance: true }),
  p('delivered', { deposit: true }),
  p('shipped'),
  p('in_production', { deposit: true }),
  p('in_production', { qualityProblem: true }),
  p('allocated'),
  p('allocated', { late: true }),
  p('on_hold', { scarce: true }),
  p('on_hold', { scarce: true }),
  p('submitted'),
  p('draft'),
  p('draft'),
  p('cancelled', { cancelFrom: 'draft' }),
  p('cancelled', { cancelFrom: 'on_hold', scarce: true }),
  p('in_production', { late: true }),
  p('cancelled', { cancelFrom: 'allocated', deposit: true }),
];

// Picked by the order's sequence number (mod 5): of the completed orders only one lands on the complaint.
const FEEDBACK: components['schemas']['FeedbackDto'][] = [
  { rating: 5, category: 'delivery', comment: 'On time and well packed.' },
  { rating: 4, category: 'service', comment: 'Commissioning engineer was very helpful.' },
  { rating: 3, category: 'delivery', comment: 'Arrived three days after the promised date.' },
  { rating: 2, category: 'quality', comment: 'Two units leaked at the flange during commissioning; replacement requested.', complaint: true },
  { rating: 5, category: 'product', comment: 'Runs quietly; energy use down as promised.' },
];
const CARRIERS = ['SF Express', 'COSCO Logistics', 'JD Logistics', 'DHL Freight'];
const LOCATIONS = ['Left Shanghai hub', 'Customs cleared, Guangzhou', 'At regional depot, Tianjin', 'Out for delivery'];

export interface OrderOutcome {
  orderId: string;
  final: Final;
  fromDeal: boolean;
  /** Passed through confirmed (analytics counts it as a booking). */
  confirmed: boolean;
  payments: number;
  feedback: boolean;
  complaint: boolean;
}

export async function workOrders(rng: Rng, people: People, deals: Deal[], tag: string, runStart: string, concurrency: number): Promise<OrderOutcome[]> {
  const won = deals.filter((d) => d.target === 'won');
  // Direct orders: repeat business from customers the reps already converted (plans fixed before running).
  const direct = DIRECT.map((plan) => {
    const deal = deals[rng.int(0, deals.length - 1)];
    const lines = plan.scarce ? [] : linesFor(rng, deal.lead.plan.productInterest, deal.currency);
    return { plan, deal, lines, promised: plan.late ? dateIn(-rng.int(2, 12)) : dateIn(rng.int(10, 75)) };
  });
  const scarceItem = ITEMS.find((i) => i.sku === SCARCE_SKU)!;
  const scarceQty = (await onHand(SCARCE_SKU)) + rng.int(4, 7);

  // orders drafts one order per opportunity.won: one list call per poll finds them all.
  const drafted = await eventually(
    `orders drafted from ${won.length} won opportunities`,
    async () => {
      const drafts = await listAll<{ id: string; opportunityId: string | null }>((cursor) =>
        api(ADMIN).GET('/api/v1/orders', { params: { query: { status: 'draft', from: runStart, cursor, limit: 200 } } }),
      );
      const byDeal = new Map(drafts.map((o) => [o.opportunityId, o.id]));
      return won.every((d) => byDeal.has(d.opportunityId)) ? byDeal : undefined;
    },
    90_000,
  );
  const fromWon = inParallel(won, concurrency, (deal, i) => drive(drafted.get(deal.opportunityId)!, FROM_WON[i % FROM_WON.length], people, tag, i, true));
  const directOrders = inParallel(direct, Math.max(1, Math.floor(concurrency / 2)), async ({ plan, deal, lines, promised }, i) => {
    const rep = people.byId.get(deal.repId)?.actor ?? ADMIN;
    const orderLines = plan.scarce
      ? [{ sku: SCARCE_SKU, productName: scarceItem.name, quantity: scarceQty, unitPrice: scarceItem.price[deal.currency as 'CNY'] ?? scarceItem.price.USD }]
      : lines;
    const body: components['schemas']['CreateOrderDto'] = {
      customer: deal.customer,
      region: deal.region ?? undefined,
      currency: deal.currency,
      lines: orderLines,
      paymentTerms: ['NET30', 'NET60', 'EOM'][i % 3],
      promisedDeliveryDate: promised,
    };
    const created = await send(() => api(rep).POST('/api/v1/orders', { body }), {
      // orders learns the catalogue from item.upserted: right after a fresh catalogue it may not know a SKU yet.
      notYet: (r) => r.response.status === 400 && JSON.stringify(r.error).includes('unknown or inactive SKU'),
    });
    return drive((await unwrap(created)).id, plan, people, tag, 100 + i, false);
  });
  const [a, b] = await Promise.all([fromWon, directOrders]);
  return [...a, ...b];
}

async function drive(orderId: string, plan: OrderPlan, people: People, tag: string, seq: number, fromDeal: boolean): Promise<OrderOutcome> {
  const path = { id: orderId };
  const read = () => send(() => api(ADMIN).GET('/api/v1/orders/{id}', { params: { path } }));
  /** The order as last answered: its body, and its version for the next If-Match. */
  let reply: ApiResult = await read();
  let order: { repId: string; team: string | null; status: string; holdReason?: unknown; history?: unknown } = await unwrap(reply);
  const rep = people.byId.get(order.repId)?.actor ?? ADMIN;
  const manager = people.managerOf(order.team);
  const outcome: OrderOutcome = { orderId, final: plan.final, fromDeal, confirmed: false, payments: 0, feedback: false, complaint: false };
  /** A step of the order's workflow, on the version last answered. */
  const act = async (action: 'submit' | 'confirm' | 'complete', as: Actor) => {
    reply = await send(() => api(as).POST(`/api/v1/orders/{id}/${action}`, { params: { path, header: ifMatch(reply) } }));
    order = await unwrap(reply);
  };
  const cancel = async (as: Actor, reason: string) => {
    reply = await send(() => api(as).POST('/api/v1/orders/{id}/cancel', { params: { path, header: ifMatch(reply) }, body: { reason } }));
    order = await unwrap(reply);
  };
  const track = (as: Actor, body: components['schemas']['TrackingDto']) => unwrap(api(as).POST('/api/v1/orders/{id}/tracking', { params: { path }, body }));
  /** Waits until the order has left `from` (another service answered), and insists on where it went. */
  const settle = async (from: string, wanted: string) => {
    reply = await eventually(`order ${orderId} to leave ${from}`, async () => {
      const r = await read();
      return (await unwrap(r)).status === from ? undefined : r;
    });
    order = await unwrap(reply);
    if (order.status !== wanted)
      throw new Error(`order ${orderId} became ${order.status}, expected ${wanted}: ${JSON.stringify(order.holdReason ?? order.history)}`);
  };
  const bank = integration('bank-feed');
  let receivableId: string | undefined;
  const pay = async (share: 'deposit' | 'balance') => {
    receivableId ??= await eventually(`the receivable of order ${orderId}`, async () => {
      const r = await send(() => api(ADMIN).GET('/api/v1/receivables/by-order/{orderId}', { params: { path: { orderId } } }), { expect: [200, 404] });
      return r.data?.id;
    });
    const current = await unwrap(api(ADMIN).GET('/api/v1/receivables/{id}', { params: { path: { id: receivableId } } }));
    const amount = share === 'deposit' ? formatAmount(new Big(current.amount).times(0.3).round(2, Big.roundDown)) : current.outstanding;
    const method = share === 'deposit' ? 'bank_transfer' : (['bank_transfer', 'letter_of_credit', 'alipay_business'] as const)[seq % 3];
    await unwrap(
      api(bank).POST('/api/v1/receivables/{id}/payments', {
        params: { path: { id: receivableId } },
        body: { amount, currency: current.currency, method, reference: `DEMO-${tag}-${orderId.slice(0, 8)}-${share}` },
      }),
    );
    outcome.payments++;
    // orders applies payment.received to the order (a new version): act on that version, not the one before.
    reply = await eventually(`order ${orderId} to record the ${share} payment`, async () => {
      const r = await read();
      const { paymentStatus } = await unwrap(r);
      return paymentStatus !== 'unpaid' && (share === 'deposit' || paymentStatus === 'paid') ? r : undefined;
    });
    order = await unwrap(reply);
  };

  if (plan.final === 'draft') return outcome;
  if (plan.cancelFrom === 'draft') {
    await cancel(rep, 'Customer merged this request into a larger order.');
    return outcome;
  }
  await act('submit', rep);
  if (plan.final === 'submitted') return outcome;
  await act('confirm', manager);
  outcome.confirmed = true;
  // inventory answers order.confirmed: stock deducted (allocated) or, for the scarce item, on hold with an alert.
  await settle('confirmed', plan.scarce ? 'on_hold' : 'allocated');
  if (plan.cancelFrom === 'on_hold') {
    await cancel(rep, 'Customer could not wait for the servo motors to be restocked.');
    return outcome;
  }
  if (plan.final === 'on_hold' || plan.final === 'allocated') return outcome;
  if (plan.cancelFrom === 'allocated') {
    await pay('deposit');
    await cancel(rep, 'Project cancelled by the end customer; deposit to be credited.');
    return outcome;
  }
  const plant = integration('plant-mes');
  await track(plant, { kind: 'production', percent: 35, note: 'Machining started' });
  if (plan.deposit) await pay('deposit');
  await track(plant, { kind: 'production', percent: 80, note: 'Assembly and pressure test' });
  if (plan.qualityProblem)
    await track(plant, { kind: 'quality_problem', note: 'Casting porosity found in two housings at final inspection; rework scheduled.' });
  if (plan.final === 'in_production') return outcome;
  const carrier = integration('carrier-gateway');
  await track(carrier, {
    kind: 'shipment',
    carrier: CARRIERS[seq % CARRIERS.length],
    trackingNumber: `${tag.toUpperCase()}${String(seq).padStart(4, '0')}${orderId.slice(0, 4).toUpperCase()}`,
  });
  await track(carrier, { kind: 'logistics', location: LOCATIONS[seq % LOCATIONS.length] });
  if (plan.final === 'shipped') return outcome;
  await track(carrier, { kind: 'delivered', note: 'Signed for by the warehouse' });
  if (plan.final === 'delivered') return outcome;
  // Completed: paid in full (the payment.received event completes it), or completed early by a manager.
  reply = await read();
  if (plan.managerCompletes) await act('complete', manager);
  else {
    await pay('balance');
    await settle('delivered', 'completed');
  }
  const feedback = FEEDBACK[seq % FEEDBACK.length];
  await unwrap(api(rep).POST('/api/v1/orders/{id}/feedback', { params: { path }, body: feedback }));
  outcome.feedback = true;
  outcome.complaint = !!feedback.complaint;
  return outcome;
}
