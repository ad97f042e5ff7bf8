import { Injectable } from '@nestjs/common';
import { Not, In, type EntityManager } from 'typeorm';
import type { EventEnvelope } from '@crm/contracts';
import { restrictToScope, type AuthUser } from '@crm/http';
import { appendToOutbox } from '@crm/messaging';
import { OrderEntity } from '../orders/order.entities';
import { CLOSED_ORDER_STATUSES, type OrderMove, type OrderToHandOver } from './hand-over.domain';

const COLUMNS = ['o.id', 'o.status', 'o.opportunityId', 'o.repId', 'o.team', 'o.version'];

/** The SQL of an order's hand-over: the locked row, the rep's open orders, the move, its record and the alerts. */
@Injectable()
export class OrderHandOverRepository {
  /** The caller's order under a row lock; undefined when absent or not theirs to see. */
  async lockVisible(m: EntityManager, user: AuthUser, id: string): Promise<OrderToHandOver | undefined> {
    const qb = restrictToScope(m.getRepository(OrderEntity).createQueryBuilder('o'), user, { rep: 'o.repId', team: 'o.team' });
    return (await qb.select(COLUMNS).andWhere('o.id = :id', { id }).setLock('pessimistic_write').getOne()) ?? undefined;
  }

  /** Every open order of a rep, locked in id order. */
  openOf(m: EntityManager, repId: string): Promise<OrderToHandOver[]> {
    return m.find(OrderEntity, {
      select: { id: true, status: true, opportunityId: true, repId: true, team: true, version: true },
      where: { repId, status: Not(In([...CLOSED_ORDER_STATUSES])) },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /**
   * The new owner and team (one version: the ETag moves), the move with its reason, and the order's unacknowledged
   * rep alerts, which are the new owner's to act on now. Its events when given.
   */
  async save(m: EntityManager, c: OrderMove, events: readonly EventEnvelope[] = []): Promise<OrderEntity> {
    await m.update(OrderEntity, { id: c.orderId }, { repId: c.toRepId, team: c.team });
    await m.query(
      'INSERT INTO order_hand_overs (order_id, from_rep_id, to_rep_id, status, reason, hand_over_id, by, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [c.orderId, c.fromRepId, c.toRepId, c.status, c.reason, c.handOverId, c.by, c.at],
    );
    await m.query(`UPDATE alerts SET rep_id = $2, team = $3 WHERE order_id = $1 AND audience = 'rep' AND acknowledged_at IS NULL`, [
      c.orderId,
      c.toRepId,
      c.team,
    ]);
    await appendToOutbox(m, events);
    return m.findOneByOrFail(OrderEntity, { id: c.orderId });
  }
}
