import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData } from '@crm/contracts';
import { ts, upsertRows } from './fact-rows';

/**
 * Applies `set` to the receivable's row when it belongs to that order, or creates it with `inserted` (what
 * `set` makes of an empty row).
 */
function receivableUpsert(inserted: Record<string, string>, set: string, id = '$1', orderId = '$2'): string {
  return `INSERT INTO receivable_facts (receivable_id, order_id, ${Object.keys(inserted).join(', ')}) VALUES (${id}, ${orderId}, ${Object.values(inserted).join(', ')})
    ON CONFLICT (receivable_id) DO UPDATE SET ${set} WHERE receivable_facts.order_id = EXCLUDED.order_id`;
}

/** receivable_facts and payment_facts (and the order row a payment settles). Set writes take rows of distinct receivables. */
@Injectable()
export class ReceivableFactsRepository {
  async paymentReceived(m: EntityManager, rows: readonly EventData<'payment.received'>[]): Promise<void> {
    // Three tables in one statement: the payments, their receivables' paid amounts, the order rows they settle.
    await upsertRows(
      m,
      `WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(payment_id uuid, receivable_id uuid, order_id uuid, amount numeric, currency text,
         outstanding numeric, received_at timestamptz)),
       payment AS (INSERT INTO payment_facts (payment_id, receivable_id, order_id, amount, currency, outstanding, received_at) SELECT * FROM x
         ON CONFLICT (payment_id) DO NOTHING),
       receivable AS (INSERT INTO receivable_facts (receivable_id, order_id, paid) SELECT receivable_id, order_id, amount FROM x
         ON CONFLICT (receivable_id) DO UPDATE SET paid = receivable_facts.paid + EXCLUDED.paid WHERE receivable_facts.order_id = EXCLUDED.order_id)
       INSERT INTO order_facts (order_id) SELECT DISTINCT order_id FROM x ON CONFLICT (order_id) DO NOTHING`,
      rows.map((d) => ({
        payment_id: d.paymentId,
        receivable_id: d.receivableId,
        order_id: d.orderId,
        amount: d.amount,
        currency: d.currency,
        outstanding: d.outstanding,
        received_at: ts(d.receivedAt),
      })),
    );
  }

  async created(m: EntityManager, rows: readonly EventData<'receivable.created'>[]): Promise<void> {
    await upsertRows(
      m,
      `INSERT INTO receivable_facts (receivable_id, order_id, currency, amount, due_date)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(receivable_id uuid, order_id uuid, currency text, amount numeric, due_date date)
       ON CONFLICT (receivable_id) DO UPDATE SET currency = EXCLUDED.currency, amount = EXCLUDED.amount, due_date = EXCLUDED.due_date
       WHERE receivable_facts.order_id = EXCLUDED.order_id`,
      rows.map((d) => ({ receivable_id: d.receivableId, order_id: d.orderId, currency: d.currency, amount: d.amount, due_date: d.dueDate })),
    );
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

  async voided(m: EntityManager, rows: readonly EventData<'receivable.voided'>[]): Promise<void> {
    await upsertRows(
      m,
      `INSERT INTO receivable_facts (receivable_id, order_id, voided_at) SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(receivable_id uuid, order_id uuid, at timestamptz)
       ON CONFLICT (receivable_id) DO UPDATE SET voided_at = EXCLUDED.voided_at WHERE receivable_facts.order_id = EXCLUDED.order_id`,
      rows.map((d) => ({ receivable_id: d.receivableId, order_id: d.orderId, at: ts(d.voidedAt) })),
    );
  }
}
