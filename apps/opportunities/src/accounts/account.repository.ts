import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { purchasesOf, type PurchaseEntry, type Purchases, type PurchaseTotals } from './account.domain';

/** The purchase history of each account, one row per order, from order events. */
@Injectable()
export class AccountRepository {
  /** False when the order is already recorded (a redelivery). */
  async recordConfirmed(m: EntityManager, e: PurchaseEntry): Promise<boolean> {
    const inserted: unknown[] = await m.query(
      `INSERT INTO account_history (order_id, account_key, currency, total, status, confirmed_at)
       VALUES ($1, $2, $3, $4, 'confirmed', $5) ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
      [e.orderId, e.accountKey, e.currency, e.total, e.confirmedAt],
    );
    return inserted.length > 0;
  }

  async recordCompleted(m: EntityManager, orderId: string, total: string, completedAt: string): Promise<void> {
    await m.query(`UPDATE account_history SET status = 'completed', total = $2, completed_at = $3 WHERE order_id = $1 AND status = 'confirmed'`, [
      orderId,
      total,
      completedAt,
    ]);
  }

  /** The account whose order was cancelled; undefined when it was unknown or already cancelled. */
  async recordCancelled(m: EntityManager, orderId: string): Promise<string | undefined> {
    // UPDATE … RETURNING comes back from TypeORM as [rows, count].
    const [rows]: [{ account_key: string }[], number] = await m.query(
      `UPDATE account_history SET status = 'cancelled' WHERE order_id = $1 AND status <> 'cancelled' RETURNING account_key`,
      [orderId],
    );
    return rows[0]?.account_key;
  }

  async purchases(m: EntityManager, accountKey: string | null): Promise<Purchases> {
    if (!accountKey) return purchasesOf(null);
    const [totals]: PurchaseTotals[] = await m.query(
      `SELECT count(*)::int AS orders, sum(total)::text AS total, min(currency) AS currency, count(DISTINCT currency)::int AS currencies
         FROM account_history WHERE account_key = $1 AND status <> 'cancelled'`,
      [accountKey],
    );
    return purchasesOf(totals);
  }
}
