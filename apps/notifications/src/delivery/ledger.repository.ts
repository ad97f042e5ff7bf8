import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Channel } from '../catalogue/catalogue';

export interface ClaimedDelivery {
  id: string;
  dedupeKey: string;
  notificationId: string | null;
  channel: Channel;
  target: string;
  attempts: number;
}

/**
 * The delivery ledger's state changes, shared by the email and webhook dispatchers. A claim marks rows
 * `sending` with a lease and commits before anything is sent, so two replicas never send the same row, and a
 * row whose sender died (kill -9) is claimed again when its lease runs out.
 */
@Injectable()
export class LedgerRepository {
  /** Due rows of one channel, oldest first, each claimed for `leaseMs`; `attempts` counts this one. */
  async claim(m: EntityManager, channel: Channel, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    // UPDATE … RETURNING comes back from TypeORM as [rows, count].
    const [rows]: [ClaimedDelivery[], number] = await m.query(
      `WITH due AS (
         SELECT id FROM deliveries
          WHERE channel = $1 AND next_attempt_at <= now()
            AND (status = 'pending' OR (status = 'sending' AND lease_until < now()))
          ORDER BY next_attempt_at, id
          LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE deliveries d SET status = 'sending', attempts = d.attempts + 1, lease_until = now() + make_interval(secs => $3 / 1000.0)
         FROM due WHERE d.id = due.id
       RETURNING d.id, d.dedupe_key AS "dedupeKey", d.notification_id AS "notificationId", d.channel, d.target, d.attempts`,
      [channel, limit, leaseMs],
    );
    return rows;
  }

  /**
   * When a row of the channel next comes due: a pending row's next attempt, or the end of a claimed row's lease (its
   * sender may die); null when none waits. The dispatchers sleep until then, so an idle ledger is not polled.
   */
  async nextDue(m: EntityManager, channel: Channel): Promise<Date | null> {
    const [{ at }]: { at: Date | null }[] = await m.query(
      `SELECT least(
         (SELECT next_attempt_at FROM deliveries WHERE channel = $1 AND status = 'pending' ORDER BY next_attempt_at LIMIT 1),
         (SELECT min(lease_until) FROM deliveries WHERE channel = $1 AND status = 'sending')) AS at`,
      [channel],
    );
    return at;
  }

  async sent(m: EntityManager, id: string, status?: number): Promise<void> {
    await m.query(`UPDATE deliveries SET status = 'sent', sent_at = now(), lease_until = NULL, last_status = $2, last_error = NULL WHERE id = $1`, [
      id,
      status ?? null,
    ]);
  }

  /** A failed attempt that will be tried again at `retryAt`. */
  async retry(m: EntityManager, id: string, retryAt: Date, error: string, status?: number): Promise<void> {
    await m.query(`UPDATE deliveries SET status = 'pending', next_attempt_at = $2, lease_until = NULL, last_error = $3, last_status = $4 WHERE id = $1`, [
      id,
      retryAt,
      error.slice(0, 2000),
      status ?? null,
    ]);
  }

  /** Put off without counting an attempt (quiet hours). */
  async defer(m: EntityManager, id: string, until: Date): Promise<void> {
    await m.query(`UPDATE deliveries SET status = 'pending', attempts = attempts - 1, next_attempt_at = $2, lease_until = NULL WHERE id = $1`, [id, until]);
  }

  /** `dead`: the last attempt failed (replayable); `cancelled`: delivery stopped on purpose (410 Gone, disabled endpoint). */
  async stop(m: EntityManager, id: string, status: 'dead' | 'cancelled', error: string, httpStatus?: number): Promise<void> {
    await m.query(`UPDATE deliveries SET status = $2, lease_until = NULL, last_error = $3, last_status = $4 WHERE id = $1`, [
      id,
      status,
      error.slice(0, 2000),
      httpStatus ?? null,
    ]);
  }
}
