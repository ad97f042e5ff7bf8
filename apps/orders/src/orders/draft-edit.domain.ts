import type { EventData } from '@crm/contracts';
import { DomainError, type Decision, type DomainFieldIssue } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import { compareAmounts, InvalidAmountError, priceLines, sumAmounts } from '@crm/money';
import { cleanAddress, type Address } from '../customers/account.domain';
import { oversizedLines, type LineInput } from './order-draft.domain';
import { orderTerms, type Order, type OrderColumns, type OrderLine } from './order.domain';

/** The parts of a draft an edit may change (`order.draft_updated`'s `changed`). */
export type DraftTerm = EventData<'order.draft_updated'>['changed'][number];

/** What the caller sends: each part left out stays as it is; `null` removes an address or the promised date. */
export interface DraftEdit {
  /** Replaces every line (new line ids); at least one. */
  lines?: LineInput[];
  /** The lines' prices are in it: a new currency comes with the lines priced in it. */
  currency?: string;
  paymentTerms?: string;
  billingAddress?: Address | null;
  shippingAddress?: Address | null;
  promisedDeliveryDate?: string | null;
  /** Why, kept with the edit. */
  note?: string | null;
}

export interface DraftEditContext {
  /** The SKUs of `lines` the catalogue copy does not sell (unknown or retired). */
  unsellable: ReadonlySet<string>;
  /** Today in the business time zone (ADR 0012): a new promised date may not be before it. */
  today: string;
  by: string;
  now: Date;
  newId: () => string;
}

/** The edit as stored: the row's new columns, the new lines, and the edit's record. Nothing changed: `set` is empty. */
export interface DraftEditChanges {
  set: Partial<OrderColumns>;
  lines?: (OrderLine & { position: number })[];
  edit?: { changed: DraftTerm[]; note: string | null; by: string; at: Date };
}

/**
 * Edits a draft: checks every part first (all problems in one 400), then compares with the order as it is. Only
 * what really changes is written; the total is recomputed from the lines, and `order.draft_updated` carries the
 * terms as they now stand. An edit that changes nothing writes nothing (same version, no event).
 */
export function decideDraftEdit(order: Order, edit: DraftEdit, ctx: DraftEditContext): Decision<DraftEditChanges> {
  if (order.status !== 'draft') {
    throw DomainError.conflict(
      'NOT_A_DRAFT',
      `Order ${order.id} is ${order.status}: only a draft can be edited${order.status === 'submitted' ? ' (a manager who rejects it sends it back to draft)' : ''}.`,
    );
  }
  const lines = edit.lines && priceEditedLines(edit.lines, ctx.unsellable);
  const issues = [...(lines?.issues ?? []), ...termIssues(order, edit, ctx.today)];
  if (issues.length) throw DomainError.invalidFields(issues);

  const set: Partial<OrderColumns> = {};
  const changed: DraftTerm[] = [];
  if (lines && !sameLines(order.lines, lines.priced)) changed.push('lines');
  if (edit.currency !== undefined && edit.currency !== order.currency) {
    changed.push('currency');
    set.currency = edit.currency;
  }
  if (edit.paymentTerms !== undefined && edit.paymentTerms !== order.paymentTerms) {
    changed.push('paymentTerms');
    set.paymentTerms = edit.paymentTerms;
  }
  for (const term of ['billingAddress', 'shippingAddress'] as const) {
    const address = edit[term] === undefined ? undefined : cleanAddress(edit[term]);
    if (address === undefined || sameAddress(address, order[term])) continue;
    changed.push(term);
    set[term] = address;
  }
  const date = edit.promisedDeliveryDate;
  if (date !== undefined && date !== order.promisedDeliveryDate) {
    changed.push('promisedDeliveryDate');
    set.promisedDeliveryDate = date;
  }
  if (!changed.length) return { changes: { set: {} }, events: [] };

  const rows = lines && changed.includes('lines') ? lines.priced.map((l, position) => ({ ...l, id: ctx.newId(), position })) : undefined;
  if (rows) set.total = sumAmounts(rows.map((l) => l.lineTotal));
  const after: Order = { ...order, ...set, lines: rows ?? order.lines };
  const note = edit.note?.trim() || null;
  const event = newEvent('order.draft_updated', {
    subject: order.id,
    data: { ...orderTerms(after), changed, note: note ?? undefined, by: ctx.by, updatedAt: ctx.now.toISOString() },
  });
  return { changes: { set, lines: rows, edit: { changed, note, by: ctx.by, at: ctx.now } }, events: [event] };
}

type PricedLine = Omit<OrderLine, 'id'>;

/** Prices each line exactly (as drafting does) and names every line that cannot be sold, priced or stored. */
function priceEditedLines(input: readonly LineInput[], unsellable: ReadonlySet<string>): { priced: PricedLine[]; issues: DomainFieldIssue[] } {
  const issues: DomainFieldIssue[] = [];
  const priced = input.flatMap((line, i) => {
    if (unsellable.has(line.sku)) issues.push({ field: `lines[${i}].sku`, message: `unknown or inactive SKU ${line.sku}` });
    try {
      const { sku, productName, quantity, unitPrice, discount, lineTotal } = priceLines([line])[0];
      return [{ sku, productName, quantity, unitPrice, discount, lineTotal }];
    } catch (err) {
      if (!(err instanceof InvalidAmountError)) throw err;
      issues.push({ field: `lines[${i}].discount`, message: err.message });
      return [];
    }
  });
  // Only once every line is priced: `priced` then has the request's indices, which the issues name.
  if (!issues.length) issues.push(...oversizedLines(priced));
  return { priced, issues };
}

/** The terms' own rules: a currency comes with its prices, and a new promised date is not in the past. */
function termIssues(order: Order, edit: DraftEdit, today: string): DomainFieldIssue[] {
  const issues: DomainFieldIssue[] = [];
  if (edit.currency !== undefined && edit.currency !== order.currency && !edit.lines) {
    issues.push({ field: 'lines', message: `a new currency (${edit.currency}) needs the lines priced in it: send lines with currency` });
  }
  const date = edit.promisedDeliveryDate;
  // Only a date that changes: a form that sends the current (now past) date back with other fixes is not refused for it.
  if (date && date !== order.promisedDeliveryDate && date < today) {
    issues.push({ field: 'promisedDeliveryDate', message: `promisedDeliveryDate must be today (${today}) or later` });
  }
  return issues;
}

/** Same lines in the same order: an amount written differently ("5" for "5.00") is the same amount. */
function sameLines(current: readonly OrderLine[], next: readonly PricedLine[]): boolean {
  return (
    current.length === next.length &&
    current.every((a, i) => {
      const b = next[i];
      return (
        a.sku === b.sku &&
        a.productName === b.productName &&
        a.quantity === b.quantity &&
        compareAmounts(a.unitPrice, b.unitPrice) === 0 &&
        compareAmounts(a.discount, b.discount) === 0
      );
    })
  );
}

const ADDRESS_FIELDS = ['line1', 'line2', 'city', 'region', 'postalCode', 'country'] as const;
const sameAddress = (a: Address | null, b: Address | null) => (a && b ? ADDRESS_FIELDS.every((f) => (a[f] ?? null) === (b[f] ?? null)) : a === b);
