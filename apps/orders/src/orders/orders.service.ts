import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { DomainError, type Decision } from '@crm/domain';
import { accessScope, type AuthUser, type Page } from '@crm/http';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { CustomersService } from '../customers/customers.service';
import { DirectoryService } from '../directory/directory.service';
import type { AutoConfirmLimits } from './auto-confirm.domain';
import type { CancelOrderDto, CreateOrderDto, ListOrdersQuery, TrackingDto } from './dto/order.dto';
import { ORDER_RECORD, orderChanges } from './order-audit';
import { decideCreate } from './order-draft.domain';
import { decideErpRetry } from './order-erp.domain';
import { decideTracking } from './order-tracking.domain';
import { decideCancel, decideComplete, decideConfirm, decideReject, decideSubmit, type Order, type OrderChanges } from './order.domain';
import type { OrderEntity } from './order.entities';
import { OrdersRepository, type OrderView } from './orders.repository';

export const AUTO_CONFIRM_LIMITS = Symbol('AUTO_CONFIRM_LIMITS');

/** The order's API: drafting, the review workflow, tracking reports and reads, each in one transaction. */
@Injectable()
export class OrdersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrdersRepository,
    private readonly directory: DirectoryService,
    private readonly customers: CustomersService,
    @Inject(AUTO_CONFIRM_LIMITS) private readonly autoConfirmLimits: AutoConfirmLimits,
    private readonly audit: AuditTrail,
  ) {}

  create(user: AuthUser, dto: CreateOrderDto): Promise<OrderView> {
    const scope = accessScope(user);
    const repId = dto.repId ?? user.sub;
    return inTransaction(this.dataSource, async (m) => {
      const unsellable = await this.directory.unsellableSkus(m, [...new Set(dto.lines.map((l) => l.sku))]);
      const knownTeam = await this.directory.teamOf(m, repId);
      // An account the copy does not know yet (it may lag the customers service) is accepted, without addresses.
      const account = dto.accountId ? await this.customers.addressesOf(m, dto.accountId) : undefined;
      const draft = decideCreate({ ...dto, scope, caller: user, repId, unsellable, knownTeam, account }, { by: user.sub, now: new Date(), newId: randomUUID });
      const order = await this.orders.insertDraft(m, draft);
      await this.audit.record(m, { recordType: ORDER_RECORD, recordId: order.id, action: 'created', changes: orderChanges(null, order) });
      return order;
    });
  }

  list(user: AuthUser, query: ListOrdersQuery): Promise<Page<OrderEntity>> {
    return this.orders.list(user, query);
  }

  async get(user: AuthUser, id: string): Promise<OrderView> {
    const order = await this.orders.detail(user, id);
    if (!order) throw DomainError.notFound('order', id);
    return order;
  }

  /** Submits a draft whose SKUs are still sold; under the auto-confirm limit it confirms at once. */
  submit(user: AuthUser, id: string, expectedVersion?: number): Promise<OrderView> {
    return this.act('submitted', user, id, expectedVersion, async (m, order) => {
      const unsellable = await this.directory.unsellableSkus(
        m,
        order.lines.map((l) => l.sku),
      );
      return decideSubmit(order, { unsellable, limits: this.autoConfirmLimits }, { by: user.sub, now: new Date() });
    });
  }

  confirm(user: AuthUser, id: string, expectedVersion?: number): Promise<OrderView> {
    return this.act('confirmed', user, id, expectedVersion, (_m, order) => decideConfirm(order, { by: user.sub, now: new Date() }));
  }

  reject(user: AuthUser, id: string, note: string | undefined, expectedVersion?: number): Promise<OrderView> {
    return this.act('rejected', user, id, expectedVersion, (_m, order) => decideReject(order, note, { by: user.sub, now: new Date() }));
  }

  cancel(user: AuthUser, id: string, dto: CancelOrderDto, expectedVersion?: number): Promise<OrderView> {
    return this.act('cancelled', user, id, expectedVersion, (_m, order) => decideCancel(order, dto.reason, { by: user.sub, now: new Date() }));
  }

  /** A manager closes a delivered order even before it is fully paid. */
  complete(user: AuthUser, id: string, expectedVersion?: number): Promise<OrderView> {
    return this.act('completed', user, id, expectedVersion, (_m, order) => decideComplete(order, { by: user.sub, now: new Date() }));
  }

  /** Once the ERP's data is fixed, re-runs the saga's steps of an order an ERP refusal holds (ADR 0013). */
  erpRetry(user: AuthUser, id: string, expectedVersion?: number): Promise<OrderView> {
    return this.act('erp_retried', user, id, expectedVersion, (_m, order) => decideErpRetry(order, { by: user.sub, now: new Date() }));
  }

  /** A production, shipment, logistics, delivery or quality report; some move the order on. */
  track(user: AuthUser, id: string, dto: TrackingDto): Promise<OrderView> {
    return this.act('tracked', user, id, undefined, (_m, order) => decideTracking(order, dto, { by: user.sub, now: new Date(), newId: randomUUID }));
  }

  /** One command on the caller's order: locked and version-checked, decided, saved with its events and audited as `action`. */
  private act(
    action: string,
    user: AuthUser,
    id: string,
    expectedVersion: number | undefined,
    decide: (m: EntityManager, order: Order) => Decision<OrderChanges> | Promise<Decision<OrderChanges>>,
  ): Promise<OrderView> {
    return inTransaction(this.dataSource, (m) =>
      loadDecideSave(m, {
        load: (m) => this.orders.lockVisible(m, user, id),
        notFound: () => DomainError.notFound('order', id),
        expectedVersion,
        decide: (order) => decide(m, order),
        save: async (m, order, changes) => {
          const after = await this.orders.save(m, order, changes);
          const audited = orderChanges(order, after, changes);
          if (audited.length) await this.audit.record(m, { recordType: ORDER_RECORD, recordId: id, action, changes: audited });
          return after;
        },
      }),
    );
  }
}
