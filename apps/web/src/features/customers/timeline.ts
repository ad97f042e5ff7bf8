// A timeline entry as a person reads it: which record it belongs to (a console link when the console has a page
// for it) and the few details that matter for its kind. Pure, tested without a browser.
import type { components } from '@crm/api-client';

export type TimelineEntry = components['schemas']['TimelineEntryView'];

/** The console's page of the entry's record; receivables live on their order's page. */
export function consoleLinkOf(entry: TimelineEntry): string | null {
  const detail = entry.detail as Record<string, unknown>;
  switch (entry.recordKind) {
    case 'lead':
      return `/leads/${entry.recordId}`;
    case 'opportunity':
      return `/opportunities/${entry.recordId}`;
    case 'order':
      return `/orders/${entry.recordId}`;
    case 'receivable':
      return typeof detail.orderId === 'string' ? `/orders/${detail.orderId}` : null;
    default:
      return null;
  }
}

/** The amount an entry carries (a deal's expected amount, an order's total, a payment), with its currency. */
export function amountOf(entry: TimelineEntry): { amount: string; currency: string } | null {
  const d = entry.detail as Record<string, unknown>;
  const currency = typeof d.currency === 'string' ? d.currency : null;
  const amount = [d.amount, d.total, d.expectedAmount].find((v) => typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v));
  return currency && typeof amount === 'string' ? { amount, currency } : null;
}

/** A short line of the entry's free text: a follow-up's content, a reason, a note, a carrier and tracking number. */
export function noteOf(entry: TimelineEntry): string | null {
  const d = entry.detail as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  if (entry.kind === 'order.shipped') return [text(d.carrier), text(d.trackingNumber)].filter(Boolean).join(' · ') || null;
  if (entry.kind === 'opportunity.stage_changed') return [text(d.fromStage), text(d.toStage)].filter(Boolean).join(' → ') || null;
  return text(d.content) ?? text(d.reason) ?? text(d.note) ?? text(d.comment) ?? text(d.name) ?? null;
}
