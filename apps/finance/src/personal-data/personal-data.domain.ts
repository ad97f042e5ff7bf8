import { ERASED } from '@crm/privacy';

/** What finance holds of a person: the customer name copied from the order, and payers' bank references. */
export interface PersonRows {
  receivables: { id: string; customerName: string }[];
  payments: { id: string; receivableId: string; reference: string | null }[];
  creditNotes: { id: string; receivableId: string; reason: string }[];
}

export interface Scrub {
  receivableIds: string[];
  paymentIds: string[];
  /** Credit notes whose reason names the person, with the reason they keep. */
  creditNotes: { id: string; reason: string }[];
  /** The values removed, for forgetPersonalValues (replay responses, old outbox rows). */
  values: string[];
}

const replaceAll = (text: string, values: string[]) => values.reduce((t, v) => (v.length >= 3 ? t.split(v).join(ERASED) : t), text);

/**
 * The erasure of a person in finance: the customer name becomes "[erased]", a payment's reference (a payer's
 * bank or remittance text) is dropped, and a credit note's reason loses the names it quotes. Amounts,
 * currencies, dates and statuses are not touched: totals stay to the cent.
 */
export function decideScrub(rows: PersonRows): Scrub {
  const names = [...new Set(rows.receivables.map((r) => r.customerName).filter((n) => n !== ERASED))];
  const references = rows.payments.map((p) => p.reference).filter((r): r is string => r !== null && r !== ERASED);
  return {
    receivableIds: rows.receivables.map((r) => r.id),
    paymentIds: rows.payments.filter((p) => p.reference !== null).map((p) => p.id),
    creditNotes: rows.creditNotes.map((c) => ({ id: c.id, reason: replaceAll(c.reason, names) })).filter((c, i) => c.reason !== rows.creditNotes[i].reason),
    values: [...names, ...references],
  };
}
