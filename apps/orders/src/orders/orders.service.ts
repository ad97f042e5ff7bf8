import { randomUUID } from 'node:crypto';
import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { EventEnvelope, EventOf } from '@crm/contracts';
import { accessScope, assertVersion, restrictToScope, HttpProblemCode, paginate, ProblemException, type AuthUser, type Page } from '@crm/http';
import { appendToOutbox, newEvent, NonRetryableError } from '@crm/messaging';
import { compareAmounts, InvalidLineError, priceLines, sumAmounts } from '@crm/money';
import { AlertsService } from '../alerts/alerts.service';
import { DirectoryService } from '../directory/directory.service';
import { autoConfirms, type AutoConfirmLimits } from './auto-confirm.domain';
import type { CancelOrderDto, CreateOrderDto, FeedbackDto, ListOrdersQuery, OrderLineDto, TrackingDto } from './dto/order.dto';
import { OrderEntity, OrderLineEntity, OrderStatusHistoryEntity, OrderTrackingEntity } from './order.entities';
import { IllegalTransitionError, nextStatus, readyToComplete, type OrderAction, type OrderStatus } from './order-workflow.domain';

export const AUTO_CONFIRM_LIMITS = Symbol('AUTO_CONFIRM_LIMITS');
const SYSTEM = 'system';

const notFound = (id: string) =>
  new ProblemException({ status: HttpStatus.NOT_FOUND, code: HttpProblemCode.NotFound, detail: `No order ${id}.` });
const illegal = (err: IllegalTransitionError) =>
  new ProblemException({ status: HttpStatus.CONFLICT, code: 'ILLEGAL_TRANSITION', detail: err.message });
const badField = (field: string, message: string) =>
  new ProblemException({
    status: HttpStatus.BAD_REQUEST,
    code: HttpProblemCode.ValidationFailed,
    detail: 'The request has invalid fields.',
    errors: [{ field, message, constraint: 'domain' }],
  });

export interface OrderView extends Omit<OrderEntity, 'lines'> {
  lines: OrderLineEntity[];
  history?: OrderStatusHistoryEntity[];
  tracking?: OrderTrackingEntity[];
}

/** One transition in a transaction: status, history row and events commit together or not at all. */
interface Transition {
  action: OrderAction;
  by: string;
  note?: string;
  changes?: QueryDeepPartialEntity<OrderEntity>;
  /** The action's own events besides `order.status_changed`. */
  events?: (order: OrderEntity, at: string) => EventEnvelope[];
}

@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: DirectoryService,
    private readonly alerts: AlertsService,
    @Inject(AUTO_CONFIRM_LIMITS) private readonly autoConfirmLimits: AutoConfirmLimits,
  ) {}

  // ---- HTTP side -------------------------------------------------------------------------------

  create(user: AuthUser, dto: CreateOrderDto): Promise<OrderView> {
    const scope = accessScope(user);
    const repId = dto.repId ?? user.sub;
    if (scope.kind === 'own' && repId !== user.sub) throw badField('repId', 'a sales rep can only create orders for themself');
    const lines = pricedLines(dto.lines);
    return this.dataSource.transaction(async (m) => {
      const unknown = await this.directory.unsellableSkus(m, [...new Set(dto.lines.map((l) => l.sku))]);
      const firstUnknown = dto.lines.findIndex((l) => unknown.has(l.sku));
      if (firstUnknown >= 0) {
        throw badField(`lines[${firstUnknown}].sku`, `unknown or inactive SKU ${dto.lines[firstUnknown].sku}`);
      }
      const known = await this.directory.teamOf(m, repId);
      // A manager files orders for the reps of their team; a rep the directory does not (yet) know is refused
      // rather than put in the manager's team, which would hand the manager another team's rep.
      if (scope.kind === 'team' && repId !== user.sub && known !== scope.team) throw badField('repId', `rep ${repId} is not in team ${scope.team}`);
      const team = known ?? (scope.kind === 'team' ? scope.team : user.team ?? null);
      if (scope.kind === 'team' && team !== scope.team) throw badField('repId', `rep ${repId} is not in team ${scope.team}`);
      return this.draft(m, {
        opportunityId: null,
        repId,
        team,
        customer: dto.customer,
        region: dto.region ?? null,
        currency: dto.currency,
        lines,
        paymentTerms: dto.paymentTerms ?? 'NET30',
        promisedDeliveryDate: dto.promisedDeliveryDate ?? null,
        by: user.sub,
      });
    });
  }

  async list(user: AuthUser, query: ListOrdersQuery): Promise<Page<OrderEntity>> {
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
    const direction = query.sort === 'createdAt' ? 'ASC' : 'DESC';
    return paginate(qb, { sort: { column: 'o.createdAt', direction }, tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
  }

  async get(user: AuthUser, id: string): Promise<OrderView> {
    const m = this.dataSource.manager;
    const order = await this.scoped(m, user).andWhere('o.id = :id', { id }).getOne();
    if (!order) throw notFound(id);
    const [lines, history, tracking] = await Promise.all([
      m.find(OrderLineEntity, { where: { orderId: id }, order: { position: 'ASC' } }),
      m.find(OrderStatusHistoryEntity, { where: { orderId: id }, order: { id: 'ASC' } }),
      m.find(OrderTrackingEntity, { where: { orderId: id }, order: { at: 'ASC' } }),
    ]);
    return { ...order, lines, history, tracking };
  }

  /** Submits a draft; under the auto-confirm limit it confirms at once, in the same transaction. */
  submit(user: AuthUser, id: string, expectedVersion?: number): Promise<OrderView> {
    return this.act(user, id, expectedVersion, async (m, order) => {
      const unknown = await this.directory.unsellableSkus(m, order.lines.map((l) => l.sku));
      if (unknown.size) {
        throw new ProblemException({
          status: HttpStatus.CONFLICT,
          code: 'UNKNOWN_SKU',
          detail: `The catalogue does not sell ${[...unknown].join(', ')}: edit the order before submitting it.`,
        });
      }
      let next = await this.transition(m, order, {
        action: 'submit',
        by: user.sub,
        events: (o, at) => [newEvent('order.submitted', { subject: o.id, data: { orderId: o.id, by: user.sub, submittedAt: at } })],
      });
      if (autoConfirms(this.autoConfirmLimits, next.currency, next.total)) next = await this.confirmIn(m, next, SYSTEM, true);
      return next;
    });
  }

  confirm(user: AuthUser, id: string, expectedVersion?: number): Promise<OrderView> {
    return this.act(user, id, expectedVersion, (m, order) => this.confirmIn(m, order, user.sub, false));
  }

  reject(user: AuthUser, id: string, note: string | undefined, expectedVersion?: number): Promise<OrderView> {
    return this.act(user, id, expectedVersion, (m, order) => this.transition(m, order, { action: 'reject', by: user.sub, note }));
  }

  cancel(user: AuthUser, id: string, dto: CancelOrderDto, expectedVersion?: number): Promise<OrderView> {
    return this.act(user, id, expectedVersion, (m, order) =>
      this.transition(m, order, {
        action: 'cancel',
        by: user.sub,
        note: dto.reason,
        changes: { cancelReason: dto.reason },
        events: (o, at) => [
          newEvent('order.cancelled', {
            subject: o.id,
            data: { orderId: o.id, previousStatus: order.status, reason: dto.reason, by: user.sub, cancelledAt: at },
          }),
        ],
      }),
    );
  }

  /** A manager closes a delivered order even before it is fully paid. */
  complete(user: AuthUser, id: string, expectedVersion?: number): Promise<OrderView> {
    return this.act(user, id, expectedVersion, (m, order) => this.completeIn(m, order, user.sub));
  }

  /** A production, shipment, logistics, delivery or quality report; some move the order on. */
  track(user: AuthUser, id: string, dto: TrackingDto): Promise<OrderView> {
    return this.act(user, id, undefined, async (m, order) => {
      const at = dto.at ? new Date(dto.at).toISOString() : new Date().toISOString();
      await m.insert(OrderTrackingEntity, {
        id: randomUUID(),
        orderId: id,
        kind: dto.kind,
        percent: dto.percent ?? null,
        carrier: dto.carrier ?? null,
        trackingNumber: dto.trackingNumber ?? null,
        location: dto.location ?? null,
        note: dto.note ?? null,
        by: user.sub,
        at: new Date(at),
      });
      return this.applyTracking(m, order, dto, user.sub, at);
    });
  }

  async recordFeedback(user: AuthUser, id: string, dto: FeedbackDto) {
    return this.act(user, id, undefined, async (m, order) => {
      if (order.status !== 'delivered' && order.status !== 'completed') {
        throw new ProblemException({
          status: HttpStatus.CONFLICT,
          code: 'FEEDBACK_NOT_OPEN',
          detail: `Feedback is taken once the order is delivered; this one is ${order.status}.`,
        });
      }
      const feedbackId = randomUUID();
      const inserted = await m.query(
        `INSERT INTO feedback (id, order_id, rating, category, comment, complaint, by) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (order_id) DO NOTHING RETURNING received_at`,
        [feedbackId, id, dto.rating, dto.category, dto.comment ?? null, dto.complaint ?? false, user.sub],
      );
      if (!inserted.length) {
        throw new ProblemException({ status: HttpStatus.CONFLICT, code: 'FEEDBACK_ALREADY_RECORDED', detail: `Order ${id} already has feedback.` });
      }
      await m.query(
        `INSERT INTO feedback_requests (order_id, status, answered_at) VALUES ($1, 'answered', now())
         ON CONFLICT (order_id) DO UPDATE SET status = 'answered', answered_at = now()`,
        [id],
      );
      const receivedAt = (inserted[0].received_at as Date).toISOString();
      await appendToOutbox(m, [
        newEvent('order.feedback_received', {
          subject: id,
          data: { orderId: id, feedbackId, repId: order.repId, rating: dto.rating, category: dto.category, comment: dto.comment, complaint: dto.complaint ?? false, receivedAt },
        }),
      ]);
      return order;
    }).then(() => this.feedbackOf(user, id));
  }

  async feedbackOf(user: AuthUser, id: string) {
    const order = await this.scoped(this.dataSource.manager, user).andWhere('o.id = :id', { id }).getOne();
    if (!order) throw notFound(id);
    const [request] = await this.dataSource.query('SELECT status, opened_at AS "openedAt", answered_at AS "answeredAt" FROM feedback_requests WHERE order_id = $1', [id]);
    const [feedback] = await this.dataSource.query(
      'SELECT id, rating, category, comment, complaint, by, received_at AS "receivedAt" FROM feedback WHERE order_id = $1',
      [id],
    );
    return { orderId: id, request: request ?? null, feedback: feedback ?? null };
  }

  // ---- event side ------------------------------------------------------------------------------

  /** A won opportunity becomes a draft order, once per opportunity however often the event arrives. */
  async draftFromOpportunity(m: EntityManager, { data }: EventOf<'opportunity.won'>): Promise<void> {
    const existing = await m.findOne(OrderEntity, { where: { opportunityId: data.opportunityId } });
    if (existing) return;
    let lines: PricedLine[];
    try {
      lines = pricedLines(data.lines);
    } catch (err) {
      // A won deal whose lines cannot be priced will not price better on retry: dead-letter it with the reason.
      throw new NonRetryableError(`opportunity ${data.opportunityId}: ${err instanceof ProblemException ? JSON.stringify(err.getResponse()) : String(err)}`);
    }
    await this.draft(m, {
      opportunityId: data.opportunityId,
      repId: data.repId,
      team: data.team ?? (await this.directory.teamOf(m, data.repId)) ?? null,
      customer: data.customer,
      region: data.region ?? null,
      currency: data.currency,
      lines,
      paymentTerms: data.paymentTerms ?? 'NET30',
      promisedDeliveryDate: data.promisedDeliveryDate ?? null,
      by: SYSTEM,
    });
  }

  async onStockDeducted(m: EntityManager, { data }: EventOf<'stock.deducted'>): Promise<void> {
    await this.reactToInventory(m, data.orderId, 'allocate', {
      changes: { holdReason: null },
      events: (o, at) => [newEvent('order.allocated', { subject: o.id, data: { orderId: o.id, at } })],
    });
  }

  async onStockInsufficient(m: EntityManager, { data }: EventOf<'stock.insufficient'>, eventId: string): Promise<void> {
    const reason = `insufficient stock: ${data.shortages.map((s) => `${s.sku} needs ${s.requested}, has ${s.available}`).join('; ')}`;
    const order = await this.reactToInventory(m, data.orderId, 'hold', {
      note: reason,
      changes: { holdReason: reason },
      events: (o, at) => [newEvent('order.on_hold', { subject: o.id, data: { orderId: o.id, repId: o.repId, reason, shortages: data.shortages, at } })],
    });
    if (order) {
      await this.alerts.raise(m, {
        orderId: order.id,
        repId: order.repId,
        team: order.team,
        kind: 'stock_shortage',
        dedupeKey: `stock_shortage:${eventId}`,
        message: `Order ${order.id} is on hold: ${reason}.`,
        details: { shortages: data.shortages },
      });
    }
  }

  /** Keeps the order's payment state; a delivered order that is now paid completes. */
  async onPaymentReceived(m: EntityManager, { data }: EventOf<'payment.received'>): Promise<void> {
    const order = await this.lockOrder(m, data.orderId);
    if (!order) return;
    const paymentStatus = compareAmounts(data.outstanding, '0') <= 0 ? 'paid' : 'partially_paid';
    await m.update(OrderEntity, { id: order.id }, { paymentStatus, outstanding: data.outstanding });
    const updated = { ...order, paymentStatus, outstanding: data.outstanding } as OrderEntity;
    if (readyToComplete(updated.status, paymentStatus)) await this.completeIn(m, updated, SYSTEM);
  }

  // ---- internals -------------------------------------------------------------------------------

  private async draft(
    m: EntityManager,
    terms: Pick<OrderEntity, 'opportunityId' | 'repId' | 'team' | 'customer' | 'region' | 'currency' | 'paymentTerms' | 'promisedDeliveryDate'> & {
      lines: PricedLine[];
      by: string;
    },
  ): Promise<OrderView> {
    const id = randomUUID();
    const total = sumAmounts(terms.lines.map((l) => l.lineTotal));
    const { lines, by, ...columns } = terms;
    await m.insert(OrderEntity, { id, status: 'draft', total, createdBy: by, ...columns });
    const lineRows = lines.map((l, position) => ({ ...l, id: randomUUID(), orderId: id, position }));
    await m.insert(OrderLineEntity, lineRows);
    await m.insert(OrderStatusHistoryEntity, { orderId: id, fromStatus: null, toStatus: 'draft', by, at: new Date() });
    const order = await this.load(m, id);
    await appendToOutbox(m, [
      newEvent('order.drafted', { subject: id, data: { ...orderTerms(order), by, draftedAt: order.createdAt.toISOString() } }),
    ]);
    return order;
  }

  private confirmIn(m: EntityManager, order: OrderView, by: string, autoConfirmed: boolean): Promise<OrderView> {
    return this.transition(m, order, {
      action: 'confirm',
      by,
      note: autoConfirmed ? 'auto-confirmed under the limit' : undefined,
      changes: { autoConfirmed },
      events: (o, at) => [newEvent('order.confirmed', { subject: o.id, data: { ...orderTerms(o as OrderView), by, autoConfirmed, confirmedAt: at } })],
    });
  }

  private completeIn(m: EntityManager, order: OrderEntity, by: string): Promise<OrderView> {
    return this.transition(m, order, {
      action: 'complete',
      by,
      events: (o, at) => [
        newEvent('order.completed', { subject: o.id, data: { orderId: o.id, repId: o.repId, currency: o.currency, total: o.total, completedAt: at } }),
      ],
    }).then(async (completed) => {
      // After-sales: completing opens the feedback request the customer answers.
      await m.query(`INSERT INTO feedback_requests (order_id) VALUES ($1) ON CONFLICT (order_id) DO NOTHING`, [order.id]);
      return completed;
    });
  }

  private async applyTracking(m: EntityManager, order: OrderView, dto: TrackingDto, by: string, at: string): Promise<OrderView> {
    switch (dto.kind) {
      case 'production': {
        if (dto.percent === undefined) throw badField('percent', 'percent is required for a production report');
        if (order.status === 'allocated') {
          order = await this.transition(m, order, { action: 'startProduction', by, note: dto.note, changes: { productionPercent: dto.percent } });
        } else if (order.status === 'in_production') {
          await m.update(OrderEntity, { id: order.id }, { productionPercent: dto.percent });
          order = await this.load(m, order.id);
        } else {
          throw illegal(new IllegalTransitionError('startProduction', order.status));
        }
        return order;
      }
      case 'shipment': {
        if (!dto.carrier || !dto.trackingNumber) {
          throw badField(dto.carrier ? 'trackingNumber' : 'carrier', 'carrier and trackingNumber are required for a shipment');
        }
        const { carrier, trackingNumber } = dto;
        return this.transition(m, order, {
          action: 'ship',
          by,
          note: dto.note,
          changes: { carrier, trackingNumber },
          events: (o) => [newEvent('order.shipped', { subject: o.id, data: { orderId: o.id, carrier, trackingNumber, shippedAt: at } })],
        });
      }
      case 'delivered': {
        const delivered = await this.transition(m, order, {
          action: 'deliver',
          by,
          note: dto.note,
          events: (o) => [newEvent('order.delivered', { subject: o.id, data: { orderId: o.id, deliveredAt: at } })],
        });
        return readyToComplete(delivered.status, delivered.paymentStatus) ? this.completeIn(m, delivered, SYSTEM) : delivered;
      }
      case 'logistics':
        if (order.status !== 'shipped') throw illegal(new IllegalTransitionError('deliver', order.status));
        return order;
      case 'quality_problem':
        if (!dto.note) throw badField('note', 'describe the quality problem in note');
        // A quality problem is news for the rep now, not at the next scheduled scan.
        if (await this.alerts.raise(m, {
          orderId: order.id,
          repId: order.repId,
          team: order.team,
          kind: 'quality_problem',
          dedupeKey: `quality_problem:${randomUUID()}`,
          message: `Quality problem on order ${order.id}: ${dto.note}`,
          details: { note: dto.note, reportedBy: by },
        })) {
          await appendToOutbox(m, [
            newEvent('order.delayed', {
              subject: order.id,
              data: { orderId: order.id, repId: order.repId, status: order.status, reason: 'quality_problem', note: dto.note, detectedAt: at },
            }),
          ]);
        }
        return order;
    }
  }

  /** Inventory's answer moves a confirmed order; an answer for an order that moved on (cancelled) is moot. */
  private async reactToInventory(m: EntityManager, orderId: string, action: 'allocate' | 'hold', rest: Omit<Transition, 'action' | 'by'>) {
    const order = await this.lockOrder(m, orderId);
    if (!order) {
      this.logger.warn(`inventory answered for unknown order ${orderId}`);
      return undefined;
    }
    try {
      return await this.transition(m, order, { action, by: SYSTEM, ...rest });
    } catch (err) {
      if (!(err instanceof IllegalTransitionError)) throw err;
      this.logger.log(`ignored ${action} for order ${orderId}: ${err.message}`);
      return undefined;
    }
  }

  private async transition(m: EntityManager, order: OrderEntity, t: Transition): Promise<OrderView> {
    const to = nextStatus(t.action, order.status);
    const at = new Date();
    await m.update(OrderEntity, { id: order.id }, { ...t.changes, status: to });
    await m.insert(OrderStatusHistoryEntity, { orderId: order.id, fromStatus: order.status, toStatus: to, by: t.by, note: t.note ?? null, at });
    const updated = await this.load(m, order.id);
    const iso = at.toISOString();
    await appendToOutbox(m, [
      newEvent('order.status_changed', { subject: order.id, data: { orderId: order.id, from: order.status, to, by: t.by, note: t.note, at: iso } }),
      ...(t.events?.(updated, iso) ?? []),
    ]);
    return updated;
  }

  /** Loads the caller's order under a row lock, checks the version, runs `fn` and maps domain errors to HTTP. */
  private act(user: AuthUser, id: string, expectedVersion: number | undefined, fn: (m: EntityManager, order: OrderView) => Promise<OrderView>) {
    return this.dataSource
      .transaction(async (m) => {
        const visible = await this.scoped(m, user).andWhere('o.id = :id', { id }).setLock('pessimistic_write').getOne();
        if (!visible) throw notFound(id);
        if (expectedVersion !== undefined) assertVersion(visible.version, expectedVersion);
        return fn(m, await this.load(m, id));
      })
      .catch((err: unknown) => {
        throw err instanceof IllegalTransitionError ? illegal(err) : err;
      });
  }

  private async lockOrder(m: EntityManager, id: string): Promise<OrderView | undefined> {
    const locked = await m.findOne(OrderEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    return locked ? this.load(m, id) : undefined;
  }

  private async load(m: EntityManager, id: string): Promise<OrderView> {
    const order = await m.findOneOrFail(OrderEntity, { where: { id } });
    const lines = await m.find(OrderLineEntity, { where: { orderId: id }, order: { position: 'ASC' } });
    return { ...order, lines } as OrderView;
  }

  private scoped(m: EntityManager, user: AuthUser) {
    return restrictToScope(m.getRepository(OrderEntity).createQueryBuilder('o'), user, { rep: 'o.repId', team: 'o.team' });
  }
}

type PricedLine = Pick<OrderLineEntity, 'sku' | 'productName' | 'quantity' | 'unitPrice' | 'discount' | 'lineTotal'>;

/** Prices each line exactly; a discount larger than its line is a 400 on that line. */
function pricedLines(lines: readonly (OrderLineDto | EventOf<'opportunity.won'>['data']['lines'][number])[]): PricedLine[] {
  try {
    return priceLines(lines).map(({ sku, productName, quantity, unitPrice, discount, lineTotal }) => ({ sku, productName, quantity, unitPrice, discount, lineTotal }));
  } catch (err) {
    if (err instanceof InvalidLineError) throw badField(`lines[${err.index}].discount`, err.message);
    throw err;
  }
}

/** The order as `order.drafted` / `order.confirmed` carry it to inventory, finance and analytics. */
function orderTerms(o: OrderView) {
  return {
    orderId: o.id,
    opportunityId: o.opportunityId,
    repId: o.repId,
    team: o.team ?? undefined,
    customer: o.customer,
    region: o.region ?? undefined,
    currency: o.currency,
    lines: o.lines.map((l) => ({
      lineId: l.id,
      sku: l.sku,
      productName: l.productName,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      lineTotal: l.lineTotal,
    })),
    total: o.total,
    paymentTerms: o.paymentTerms,
    promisedDeliveryDate: o.promisedDeliveryDate ?? undefined,
  };
}

export type { OrderStatus };
