import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Decision } from '@crm/domain';
import { paginate, restrictToScope, sortBy, type AuthUser, type Page, type SortColumns } from '@crm/http';
import { columnAssignments, entityFromRow, whereTextMatches } from '@crm/persistence';
import { appendToOutbox } from '@crm/messaging';
import { AlertsRepository } from '../alerts/alerts.repository';
import { FeedbackRepository } from '../feedback/feedback.repository';
import type { ListOrdersQuery, ORDER_SORT_KEYS } from './dto/order.dto';
import type { OrderDraftEditEntity } from './draft-edit.entity';
import { DraftEditRepository } from './draft-edit.repository';
import type { NewOrder } from './order-draft.domain';
import type { OrderChanges, OrderStep } from './order.domain';
import { OrderEntity, OrderLineEntity, OrderStatusHistoryEntity, OrderTrackingEntity } from './order.entities';

export interface OrderView extends Omit<OrderEntity, 'lines'> {
  lines: OrderLineEntity[];
  history?: OrderStatusHistoryEntity[];
  tracking?: OrderTrackingEntity[];
  /** Edits made while it was a draft, oldest first. */
  edits?: OrderDraftEditEntity[];
}

// Each served by an index of migration 1765843200002 (created_at: idx_orders_created); NULLs as the index has them.
const SORT_COLUMNS = {
  createdAt: 'o.createdAt',
  updatedAt: 'o.updatedAt',
  total: 'o.total',
  promisedDeliveryDate: { column: 'o.promisedDeliveryDate', nullsAs: 'infinity' },
} satisfies Record<(typeof ORDER_SORT_KEYS)[number], SortColumns[string]>;

/** Orders with their lines, status history and tracking: reads scoped to the caller, locked loads, saves. */
@Injectable()
export class OrdersRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly alerts: AlertsRepository,
    private readonly feedback: FeedbackRepository,
    private readonly draftEdits: DraftEditRepository,
  ) {}

  /** The caller's order under a row lock, with its lines; undefined when absent or not theirs (a 404 either way). */
  async lockVisible(m: EntityManager, user: AuthUser, id: string): Promise<OrderView | undefined> {
    const visible = await this.scoped(m, user).andWhere('o.id = :id', { id }).setLock('pessimistic_write').getOne();
    return visible ? { ...visible, lines: await this.linesOf(m, id) } : undefined;
  }

  /** Any order under a row lock (the event side acts for the system). */
  async lock(m: EntityManager, id: string): Promise<OrderView | undefined> {
    const [row]: Record<string, unknown>[] = await m.query('SELECT * FROM orders WHERE id = $1 FOR UPDATE', [id]);
    return row ? { ...entityFromRow(m, OrderEntity, row), lines: await this.linesOf(m, id) } : undefined;
  }

  async isVisible(user: AuthUser, id: string): Promise<boolean> {
    return (await this.scoped(this.dataSource.manager, user).andWhere('o.id = :id', { id }).getCount()) > 0;
  }

  async hasOrderFor(m: EntityManager, opportunityId: string): Promise<boolean> {
    return m.exists(OrderEntity, { where: { opportunityId } });
  }

  /** The lead the opportunity came from, for a lead's data export (not part of the order's state). */
  async rememberLead(m: EntityManager, opportunityId: string, leadId: string): Promise<void> {
    await m.query('UPDATE orders SET lead_id = $2 WHERE opportunity_id = $1', [opportunityId, leadId]);
  }

  async idsForOpportunity(m: EntityManager, opportunityId: string): Promise<string[]> {
    return (await m.find(OrderEntity, { select: { id: true }, where: { opportunityId } })).map((o) => o.id);
  }

  /** The caller's order with its lines, status history, tracking reports and draft edits. */
  async detail(user: AuthUser, id: string): Promise<OrderView | undefined> {
    const m = this.dataSource.manager;
    const order = await this.scoped(m, user).andWhere('o.id = :id', { id }).getOne();
    if (!order) return undefined;
    const [lines, history, tracking, edits] = await Promise.all([
      m.find(OrderLineEntity, { where: { orderId: id }, order: { position: 'ASC' } }),
      m.find(OrderStatusHistoryEntity, { where: { orderId: id }, order: { id: 'ASC' } }),
      m.find(OrderTrackingEntity, { where: { orderId: id }, order: { at: 'ASC' } }),
      this.draftEdits.editsOf(m, id),
    ]);
    return { ...order, lines, history, tracking, edits };
  }

  list(user: AuthUser, query: ListOrdersQuery): Promise<Page<OrderEntity>> {
    const qb = this.scoped(this.dataSource.manager, user);
    if (query.status) qb.andWhere('o.status = :status', { status: query.status });
    if (query.repId) qb.andWhere('o.repId = :repId', { repId: query.repId });
    if (query.customer) {
      qb.andWhere(`(o.customer->>'name' ILIKE :customer OR o.customer->>'company' ILIKE :customer)`, {
        customer: `%${query.customer.replace(/[\\%_]/g, '\\$&')}%`,
      });
    }
    if (query.from) qb.andWhere('o.createdAt >= :from', { from: query.from });
    if (query.to) qb.andWhere('o.createdAt < :to', { to: query.to });
    if (query.q) whereTextMatches(qb, 'o.search_text', query.q);
    return paginate(qb, { sort: sortBy(query.sort, SORT_COLUMNS, '-createdAt'), tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
  }

  /** Stores a new order and appends `order.drafted`; returns the order as stored. */
  async insertDraft(m: EntityManager, { changes, events }: Decision<NewOrder>): Promise<OrderView> {
    const { order, lines, history } = changes;
    await m.insert(OrderEntity, order);
    await m.insert(OrderLineEntity, lines);
    await m.insert(OrderStatusHistoryEntity, { orderId: order.id, ...history });
    await appendToOutbox(m, events);
    return this.load(m, order.id);
  }

  /**
   * Stores a decision's changes; every step is one update (one version), written with its status history in one
   * statement. Returns the order as stored: the row as the last update returned it, the lines as loaded (no step
   * changes them).
   */
  async save(m: EntityManager, order: OrderView, changes: OrderChanges): Promise<OrderView> {
    if (changes.tracking) await m.insert(OrderTrackingEntity, { orderId: order.id, ...changes.tracking });
    let stored: OrderEntity | undefined;
    for (const step of changes.steps) stored = await this.applyStep(m, order.id, step);
    for (const alert of [...(changes.alert ? [changes.alert] : []), ...(changes.alerts ?? [])]) await this.alerts.raise(m, alert);
    if (changes.feedbackRequest) await this.feedback.openRequest(m, changes.feedbackRequest);
    return stored ? { ...stored, lines: order.lines } : order;
  }

  /** One step: the row's update (version + 1, updated_at as TypeORM sets it) and its history entry, one round trip. */
  private async applyStep(m: EntityManager, id: string, step: OrderStep): Promise<OrderEntity> {
    const params: unknown[] = [id];
    const set = [...columnAssignments(m, OrderEntity, step.set, params), 'version = version + 1', 'updated_at = CURRENT_TIMESTAMP'];
    const update = `UPDATE orders SET ${set.join(', ')} WHERE id = $1 RETURNING *`;
    let sql = update;
    if (step.history) {
      const h = step.history;
      params.push(h.fromStatus, h.toStatus, h.by, h.note ?? null, h.at);
      const n = params.length;
      sql = `WITH o AS (${update}), h AS (
               INSERT INTO order_status_history (order_id, from_status, to_status, "by", note, "at")
               SELECT id, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n} FROM o)
             SELECT * FROM o`;
    }
    const [row]: Record<string, unknown>[] = await m.query(sql, params);
    if (!row) throw new Error(`order ${id} vanished under its lock`);
    return entityFromRow(m, OrderEntity, row);
  }

  private async load(m: EntityManager, id: string): Promise<OrderView> {
    const order = await m.findOneOrFail(OrderEntity, { where: { id } });
    const lines = await m.find(OrderLineEntity, { where: { orderId: id }, order: { position: 'ASC' } });
    return { ...order, lines } as OrderView;
  }

  /**
   * The order's lines, in a statement of its own after the order's lock: its snapshot then holds what the lock's
   * previous holder committed (a draft edit's new lines), which a read in the locking statement would not.
   */
  private async linesOf(m: EntityManager, id: string): Promise<OrderLineEntity[]> {
    const rows: Record<string, unknown>[] = await m.query('SELECT * FROM order_lines WHERE order_id = $1 ORDER BY position', [id]);
    return rows.map((row) => entityFromRow(m, OrderLineEntity, row));
  }

  private scoped(m: EntityManager, user: AuthUser) {
    return restrictToScope(m.getRepository(OrderEntity).createQueryBuilder('o'), user, { rep: 'o.repId', team: 'o.team' });
  }
}
