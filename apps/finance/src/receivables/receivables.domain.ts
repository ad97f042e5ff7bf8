import { addDays, addMonths, dayOf, DEFAULT_TIME_ZONE, periodStart } from '@crm/calendar';
import { InvalidAmountError, compareAmounts, formatAmount, isPositiveAmount, lineTotal, parseAmount, subtractAmount, sumAmounts } from '@crm/money';

// Pure rules of a receivable: money as decimal strings, dates as business days (CRM_TIMEZONE, ADR 0012), no
// database, no clock (commands bring `now` and the zone).

export const RECEIVABLE_STATUSES = ['open', 'partially_paid', 'paid', 'voided'] as const;
export type ReceivableStatus = (typeof RECEIVABLE_STATUSES)[number];
/** Statuses with money still owed: the only ones a payment or the overdue job touches. */
export const OWING_STATUSES: readonly ReceivableStatus[] = ['open', 'partially_paid'];

const DAY_MS = 86_400_000;
const NET = /^NET(\d{1,3})$/;

/**
 * The due date a payment term gives an order confirmed at `confirmedAt`: NET<n> is the confirmation's
 * business day (in `zone`, never the server's) plus n days, DUE_ON_RECEIPT that day, EOM the last day of its month.
 */
export function dueDateFor(terms: string, confirmedAt: string | Date, zone = DEFAULT_TIME_ZONE): string {
  const at = new Date(confirmedAt);
  if (Number.isNaN(at.getTime())) throw new RangeError(`not a timestamp: ${String(confirmedAt)}`);
  const day = dayOf(at, zone);
  if (terms === 'DUE_ON_RECEIPT') return day;
  if (terms === 'EOM') return addDays(addMonths(periodStart(day, 'month'), 1), -1);
  const net = NET.exec(terms);
  if (net) return addDays(day, Number(net[1]));
  throw new RangeError(`unknown payment terms: ${terms}`);
}

export interface ConfirmedLine {
  sku: string;
  quantity: number;
  unitPrice: string;
  discount: string;
  lineTotal: string;
}

/**
 * Why an order's money does not add up, or null when it does: each line must be quantity × unit price −
 * discount, and the total the sum of the lines. A receivable is never opened for an amount we cannot explain.
 */
export function orderTotalMismatch(lines: readonly ConfirmedLine[], total: string): string | null {
  if (parseAmount(total).lt(0)) return `order total ${total} is negative`;
  for (const [i, line] of lines.entries()) {
    let expected: string;
    try {
      expected = lineTotal(line);
    } catch (err) {
      if (err instanceof InvalidAmountError) return `line ${i} (${line.sku}): ${err.message}`;
      throw err;
    }
    if (compareAmounts(expected, line.lineTotal) !== 0) {
      return `line ${i} (${line.sku}): lineTotal ${line.lineTotal} is not quantity × unitPrice − discount = ${expected}`;
    }
  }
  const sum = sumAmounts(lines.map((l) => l.lineTotal));
  if (compareAmounts(sum, total) !== 0) return `order total ${total} is not the sum of its line totals ${sum}`;
  return null;
}

export const outstandingOf = (amount: string, paid: string): string => subtractAmount(amount, paid);

/** What a receivable's status is once `paid` of `amount` has come in (a voided one stays voided). */
export function statusFor(amount: string, paid: string): Exclude<ReceivableStatus, 'voided'> {
  if (compareAmounts(paid, amount) >= 0) return 'paid';
  return isPositiveAmount(paid) ? 'partially_paid' : 'open';
}

export interface ReceivableBalance {
  amount: string;
  paid: string;
  status: ReceivableStatus;
}

export type PaymentOutcome =
  | { ok: true; paid: string; outstanding: string; status: ReceivableStatus }
  | { ok: false; reason: 'voided' | 'not_positive' | 'overpayment'; outstanding: string };

/** Applies a payment to a receivable's balance: partial → partially_paid, the rest → paid, more than owed → refused. */
export function applyPayment(balance: ReceivableBalance, payment: string): PaymentOutcome {
  const outstanding = outstandingOf(balance.amount, balance.paid);
  if (balance.status === 'voided') return { ok: false, reason: 'voided', outstanding };
  if (!isPositiveAmount(payment)) return { ok: false, reason: 'not_positive', outstanding };
  if (compareAmounts(payment, outstanding) > 0) return { ok: false, reason: 'overpayment', outstanding };
  const paid = sumAmounts([balance.paid, payment]);
  return { ok: true, paid, outstanding: outstandingOf(balance.amount, paid), status: statusFor(balance.amount, paid) };
}

export type CancellationOutcome =
  | { kind: 'nothing' }
  /** `creditNote` is the amount to credit back (what was paid), or null when nothing was paid. */
  | { kind: 'void'; creditedAmount: string; creditNote: string | null };

/** A cancelled order's receivable is voided; what was already paid is credited back with a credit note. */
export function cancellationOf(balance: ReceivableBalance): CancellationOutcome {
  if (balance.status === 'voided') return { kind: 'nothing' };
  const creditedAmount = formatAmount(balance.paid);
  return { kind: 'void', creditedAmount, creditNote: isPositiveAmount(balance.paid) ? creditedAmount : null };
}

/** Whole days from the due date to `now`'s business day in `zone`; 0 or less means not overdue (yet). */
export function daysOverdue(dueDate: string, now: Date, zone = DEFAULT_TIME_ZONE): number {
  const due = Date.parse(`${dueDate}T00:00:00Z`);
  if (Number.isNaN(due)) throw new RangeError(`not a calendar date: ${dueDate}`);
  return Math.round((Date.parse(`${dayOf(now, zone)}T00:00:00Z`) - due) / DAY_MS);
}
