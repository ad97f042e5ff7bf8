import { type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import { daysOverdue, outstandingOf } from '../receivables/receivables.domain';

// Pure rule of the overdue scan: a receivable past due with money owed is alerted once, with what is owed.

/** A receivable the scan claimed: owing, past due, never alerted. */
export interface OverdueCandidate {
  id: string;
  orderId: string;
  amount: string;
  paid: string;
  currency: string;
  dueDate: string;
}

/** One claimed batch (rows locked, skipped by other runs); a batch has no version of its own. */
export interface OverdueBatch {
  version: number;
  receivables: OverdueCandidate[];
}

/** Marks the claimed receivables alerted at `now` and publishes receivable.overdue for each (days overdue in business days of `zone`). */
export function decideOverdue(batch: OverdueBatch, now: Date, zone?: string): Decision<{ ids: string[]; alertedAt: Date }> {
  return {
    changes: { ids: batch.receivables.map((r) => r.id), alertedAt: now },
    events: batch.receivables.map((r) =>
      newEvent('receivable.overdue', {
        subject: r.id,
        data: {
          receivableId: r.id,
          orderId: r.orderId,
          outstanding: outstandingOf(r.amount, r.paid),
          currency: r.currency,
          dueDate: r.dueDate,
          daysOverdue: daysOverdue(r.dueDate, now, zone),
          detectedAt: now.toISOString(),
        },
      }),
    ),
  };
}
