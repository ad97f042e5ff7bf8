import type { EventOf } from '@crm/contracts';
import { DomainError, type Decision, type DomainFieldIssue } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import { parseAmount, priceProductLines, sumAmounts, type ProductLineInput } from '@crm/money';
import { defaultAddresses, type Address, type OrderAddresses } from '../customers/account.domain';
import { orderTerms, type CustomerInfo, type Order, type OrderLine, type StatusHistoryEntry } from './order.domain';

/** What the caller may see and file orders for (the shape of `accessScope`). */
export type Scope = { kind: 'all' } | { kind: 'team'; team: string } | { kind: 'own'; repId: string };

export type LineInput = ProductLineInput;

type PricedLine = Omit<OrderLine, 'id'>;

/** The terms an order is drafted with, from the API or from a won opportunity. */
export interface DraftTerms {
  opportunityId: string | null;
  repId: string;
  team: string | null;
  customer: CustomerInfo;
  accountId: string | null;
  contactId: string | null;
  billingAddress: Address | null;
  shippingAddress: Address | null;
  region: string | null;
  currency: string;
  lines: PricedLine[];
  paymentTerms: string;
  promisedDeliveryDate: string | null;
}

export interface DraftContext {
  by: string;
  now: Date;
  newId: () => string;
}

/** A new order: its row, its lines in their order, and its first history entry. */
export interface NewOrder {
  order: Omit<Order, 'lines' | 'version'> & { updatedAt: Date };
  lines: (OrderLine & { orderId: string; position: number })[];
  history: StatusHistoryEntry;
}

/** An amount the contracts and the `numeric(19,4)` columns hold: at most 15 digits before the point. */
function storable(amount: string): boolean {
  try {
    parseAmount(amount);
    return true;
  } catch {
    return false;
  }
}

/** Lines, or a total, too large to store or publish: `lines[i].quantity`, else `lines`. */
export function oversizedLines(lines: readonly PricedLine[]): DomainFieldIssue[] {
  const issues = lines.flatMap((l, i) =>
    storable(l.lineTotal) ? [] : [{ field: `lines[${i}].quantity`, message: `the line total ${l.lineTotal} is larger than an order can hold` }],
  );
  if (!issues.length && !storable(sumAmounts(lines.map((l) => l.lineTotal))))
    issues.push({ field: 'lines', message: 'the order total is larger than an order can hold' });
  return issues;
}

/** Prices each line exactly; a discount larger than its line is an invalid `lines[i].discount`, a line too large to store `lines[i].quantity`. */
export function pricedLines(lines: readonly LineInput[]): PricedLine[] {
  const priced = priceProductLines(lines);
  const oversized = oversizedLines(priced);
  if (oversized.length) throw DomainError.invalidFields(oversized);
  return priced;
}

/** Drafts the order and `order.drafted`, carrying the whole order. */
export function decideDraft(terms: DraftTerms, { by, now, newId }: DraftContext): Decision<NewOrder> {
  const id = newId();
  const { lines, ...columns } = terms;
  const rows = lines.map((l, position) => ({ ...l, id: newId(), orderId: id, position }));
  const order: NewOrder['order'] = {
    ...columns,
    id,
    status: 'draft',
    total: sumAmounts(lines.map((l) => l.lineTotal)),
    autoConfirmed: false,
    paymentStatus: 'unpaid',
    outstanding: null,
    holdReason: null,
    holdKind: null,
    erpRefusal: null,
    productionPercent: null,
    carrier: null,
    trackingNumber: null,
    cancelReason: null,
    createdBy: by,
    createdAt: now,
    updatedAt: now,
  };
  const drafted = newEvent('order.drafted', {
    subject: id,
    data: { ...orderTerms({ ...order, version: 1, lines: rows }), by, draftedAt: now.toISOString() },
  });
  return { changes: { order, lines: rows, history: { fromStatus: null, toStatus: 'draft', by, note: null, at: now } }, events: [drafted] };
}

export interface CreateOrderCommand {
  scope: Scope;
  caller: { sub: string; team?: string };
  /** The owner rep (the caller unless named). */
  repId: string;
  customer: CustomerInfo;
  accountId?: string;
  contactId?: string;
  billingAddress?: Address;
  shippingAddress?: Address;
  /** The account's addresses in the copy; undefined without an account or when the copy does not know it (yet). */
  account?: OrderAddresses;
  region?: string;
  currency: string;
  lines: LineInput[];
  paymentTerms?: string;
  promisedDeliveryDate?: string;
  /** The SKUs of `lines` the catalogue does not know or has retired. */
  unsellable: ReadonlySet<string>;
  /** The owner's team in the reps directory: null without a team, undefined when the directory does not know the rep. */
  knownTeam: string | null | undefined;
}

/** An order filed through the API: a rep files for themself, a manager for a rep of their team. */
export function decideCreate(cmd: CreateOrderCommand, ctx: DraftContext): Decision<NewOrder> {
  const { scope, caller, repId } = cmd;
  if (scope.kind === 'own' && repId !== caller.sub) throw DomainError.invalidField('repId', 'a sales rep can only create orders for themself');
  const lines = pricedLines(cmd.lines);
  const firstUnknown = cmd.lines.findIndex((l) => cmd.unsellable.has(l.sku));
  if (firstUnknown >= 0) throw DomainError.invalidField(`lines[${firstUnknown}].sku`, `unknown or inactive SKU ${cmd.lines[firstUnknown].sku}`);
  // A rep the directory does not (yet) know is refused rather than put in the manager's team, which would
  // hand the manager another team's rep.
  if (scope.kind === 'team' && repId !== caller.sub && cmd.knownTeam !== scope.team)
    throw DomainError.invalidField('repId', `rep ${repId} is not in team ${scope.team}`);
  const team = cmd.knownTeam ?? (scope.kind === 'team' ? scope.team : (caller.team ?? null));
  if (scope.kind === 'team' && team !== scope.team) throw DomainError.invalidField('repId', `rep ${repId} is not in team ${scope.team}`);
  return decideDraft(
    {
      opportunityId: null,
      repId,
      team,
      customer: cmd.customer,
      accountId: cmd.accountId ?? null,
      contactId: cmd.contactId ?? null,
      ...defaultAddresses(cmd, cmd.accountId ? cmd.account : undefined),
      region: cmd.region ?? null,
      currency: cmd.currency,
      lines,
      paymentTerms: cmd.paymentTerms ?? 'NET30',
      promisedDeliveryDate: cmd.promisedDeliveryDate ?? null,
    },
    ctx,
  );
}

/**
 * A won opportunity's draft, by `system`, with the deal's account and contact and the account's addresses
 * (`account`: from the copy, undefined when it has none). Lines that cannot be priced are refused as invalid: a
 * won deal that cannot be priced will not price better on retry (the inbox dead-letters it with the reason).
 */
export function decideDraftFromWon(
  data: EventOf<'opportunity.won'>['data'],
  knownTeam: string | null | undefined,
  account: OrderAddresses | undefined,
  ctx: DraftContext,
): Decision<NewOrder> {
  return decideDraft(
    {
      opportunityId: data.opportunityId,
      repId: data.repId,
      team: data.team ?? knownTeam ?? null,
      customer: data.customer,
      accountId: data.accountId ?? null,
      contactId: data.contactId ?? null,
      ...defaultAddresses({}, data.accountId ? account : undefined),
      region: data.region ?? null,
      currency: data.currency,
      lines: pricedLines(data.lines),
      paymentTerms: data.paymentTerms ?? 'NET30',
      promisedDeliveryDate: data.promisedDeliveryDate ?? null,
    },
    ctx,
  );
}
