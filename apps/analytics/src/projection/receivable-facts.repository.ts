import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData } from '@crm/contracts';
import { ts } from './fact-rows';

/**
 * Applies `set` to the receivable's row when it belongs to that order, or creates it with `inserted` (what
 * `set` makes of an empty row).
 */
function receivableUpsert(inserted: Record<string, string>, set: string, id = '$1', orderId = '$2'): string {
  return `INSERT INTO receivable_facts (receivable_id, order_id, ${Object.keys(inserted).join(', ')}) VALUES (${id}, ${orderId}, ${Object.values(inserted).join(', ')})
    ON CONFLICT (receivable_id) DO UPDATE SET ${set} WHERE receivable_facts.order_id = EXCLUDED.order_id`;
}

/** receivable_facts and payment_facts (and the order row a payment settles). */
@Injectable()
export class ReceivableFactsRepository {
  async paymentReceived(m: EntityManager, data: EventData<'payment.received'>): Promise<void> {
    // Three tables in one statement: the payment, its receivable's paid amount, the order row it settles.
    await m.query(
      `WITH payment AS (
         INSERT INTO payment_facts (payment_id, receivable_id, order_id, amount, currency, outstanding, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (payment_id) DO NOTHING),
       receivable AS (${receivableUpsert({ paid: '$4' }, 'paid = receivable_facts.paid + $4', '$2', '$3')})
       INSERT INTO order_facts (order_id) VALUES ($3) ON CONFLICT (order_id) DO NOTHING`,
      [data.paymentId, data.receivableId, data.orderId, data.amount, data.currency, data.outstanding, ts(data.receivedAt)],
    );
  }

  async created(m: EntityManager, data: EventData<'receivable.created'>): Promise<void> {
    await m.query(receivableUpsert({ currency: '$3', amount: '$4', due_date: '$5' }, 'currency = $3, amount = $4, due_date = $5'), [
      data.receivableId,
      data.orderId,
      data.currency,
      data.amount,
      data.dueDate,
    ]);
  }

  // A new row has no amount yet: paid stays 0 (GREATEST ignores the null), as on an empty row.
  async overdue(m: EntityManager, data: EventData<'receivable.overdue'>): Promise<void> {
    await m.query(
      receivableUpsert(
        { overdue_at: '$3' },
        'overdue_at = COALESCE(receivable_facts.overdue_at, $3), paid = GREATEST(receivable_facts.paid, receivable_facts.amount - $4)',
      ),
      [data.receivableId, data.orderId, ts(data.detectedAt), data.outstanding],
    );
  }

  async voided(m: EntityManager, data: EventData<'receivable.voided'>): Promise<void> {
    await m.query(receivableUpsert({ voided_at: '$3' }, 'voided_at = $3'), [data.receivableId, data.orderId, ts(data.voidedAt)]);
  }
}
