import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData } from '@crm/contracts';
import { ScoringService } from '../scoring/scoring.service';
import { accountKey } from './account.domain';

/**
 * The purchase history of each account, from order events (one row per order): it feeds the purchase-history
 * factor, and a change re-scores that account's open opportunities. Runs in the inbox transaction.
 */
@Injectable()
export class AccountsService {
  constructor(private readonly scoring: ScoringService) {}

  async orderConfirmed(manager: EntityManager, data: EventData<'order.confirmed'>): Promise<void> {
    const key = accountKey(data.customer);
    if (!key) return;
    const inserted = await manager.query(
      `INSERT INTO account_history (order_id, account_key, currency, total, status, confirmed_at)
       VALUES ($1, $2, $3, $4, 'confirmed', $5) ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
      [data.orderId, key, data.currency, data.total, data.confirmedAt],
    );
    if (inserted.length) await this.scoring.rescoreOpen(manager, { accountKey: key });
  }

  async orderCompleted(manager: EntityManager, data: EventData<'order.completed'>): Promise<void> {
    // order.completed names no customer: it completes the row its order.confirmed opened (same topic and key, so it came first).
    await manager.query(
      `UPDATE account_history SET status = 'completed', total = $2, completed_at = $3 WHERE order_id = $1 AND status = 'confirmed'`,
      [data.orderId, data.total, data.completedAt],
    );
  }

  async orderCancelled(manager: EntityManager, data: EventData<'order.cancelled'>): Promise<void> {
    // UPDATE … RETURNING comes back from TypeORM as [rows, count].
    const [rows]: [{ account_key: string }[], number] = await manager.query(
      `UPDATE account_history SET status = 'cancelled' WHERE order_id = $1 AND status <> 'cancelled' RETURNING account_key`,
      [data.orderId],
    );
    if (rows.length) await this.scoring.rescoreOpen(manager, { accountKey: rows[0].account_key });
  }
}
