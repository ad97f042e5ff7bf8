import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import type { EventOf } from '@crm/contracts';
import { DomainError, type Decision } from '@crm/domain';
import { loadDecideSave } from '@crm/persistence';
import { CustomersService } from '../customers/customers.service';
import { DirectoryService } from '../directory/directory.service';
import { ORDER_RECORD, orderChanges } from './order-audit';
import { decideCustomerLink } from './order-customer.domain';
import { decideDraftFromWon } from './order-draft.domain';
import { decideErpRefused } from './order-erp.domain';
import { decidePaymentReceived, decideStockDeducted, decideStockInsufficient } from './order-saga.domain';
import { SYSTEM, type Order, type OrderChanges } from './order.domain';
import { OrdersRepository } from './orders.repository';

/** The saga's order side: a won deal drafts an order; inventory's and finance's answers move it on. */
@Injectable()
export class OrderEventsService {
  private readonly logger = new Logger(OrderEventsService.name);

  constructor(
    private readonly orders: OrdersRepository,
    private readonly directory: DirectoryService,
    private readonly customers: CustomersService,
    private readonly audit: AuditTrail,
  ) {}

  /** A won opportunity becomes a draft order, once per opportunity however often the event arrives. */
  async draftFromOpportunity(m: EntityManager, { data }: EventOf<'opportunity.won'>): Promise<void> {
    if (await this.orders.hasOrderFor(m, data.opportunityId)) return;
    const knownTeam = data.team ? undefined : await this.directory.teamOf(m, data.repId);
    const account = data.accountId ? await this.customers.addressesOf(m, data.accountId) : undefined;
    const order = await this.orders.insertDraft(m, decideDraftFromWon(data, knownTeam, account, { by: SYSTEM, now: new Date(), newId: randomUUID }));
    await this.audit.record(m, { recordType: ORDER_RECORD, recordId: order.id, action: 'created', changes: orderChanges(null, order), actor: SYSTEM });
    if (data.leadId) await this.orders.rememberLead(m, data.opportunityId, data.leadId);
  }

  /** The opportunity's customer was resolved after it was won: its orders that name no account take the ids. */
  async linkCustomer(m: EntityManager, { data }: EventOf<'opportunity.customer_linked'>): Promise<void> {
    const account = await this.customers.addressesOf(m, data.accountId);
    for (const orderId of await this.orders.idsForOpportunity(m, data.opportunityId)) {
      await this.step(m, orderId, undefined, 'customer_linked', (order) => {
        const { changes } = decideCustomerLink(order, data, account);
        return { changes: { steps: changes ? [{ set: changes }] : [] }, events: [] };
      });
    }
  }

  async onStockDeducted(m: EntityManager, { data }: EventOf<'stock.deducted'>): Promise<void> {
    await this.step(m, data.orderId, 'inventory answered', 'stock_answered', (order) => decideStockDeducted(order, new Date()));
  }

  async onStockInsufficient(m: EntityManager, event: EventOf<'stock.insufficient'>): Promise<void> {
    const { orderId, shortages } = event.data;
    await this.step(m, orderId, 'inventory answered', 'stock_answered', (order) =>
      decideStockInsufficient(order, { shortages, eventId: event.id, alertId: randomUUID() }, new Date()),
    );
  }

  /** The ERP refused inventory's deduction or finance's receivable: the order is held, rep and finance alerted (ADR 0013). */
  async onErpRefused(m: EntityManager, event: EventOf<'stock.deduction_refused'> | EventOf<'receivable.refused'>): Promise<void> {
    const { orderId, erpStatus, reason, at } = event.data;
    const step = event.type === 'crm.stock.deduction_refused' ? 'inventory' : 'finance';
    const cmd = { refusal: { step, erpStatus, reason, at } as const, eventId: event.id, alertIds: { rep: randomUUID(), finance: randomUUID() } };
    await this.step(m, orderId, `the ERP refusal of ${step}`, 'erp_refused', (order) => decideErpRefused(order, cmd, new Date()));
  }

  /** Keeps the order's payment state; a delivered order that is now paid completes. */
  async onPaymentReceived(m: EntityManager, { data }: EventOf<'payment.received'>): Promise<void> {
    await this.step(m, data.orderId, undefined, 'payment_received', (order) => decidePaymentReceived(order, data.outstanding, new Date()));
  }

  /** One answer on an order, under its lock, audited as `action` by the system; an answer for an unknown order changes nothing. */
  private async step(
    m: EntityManager,
    orderId: string,
    warnUnknown: string | undefined,
    action: string,
    decide: (order: Order) => Decision<OrderChanges>,
  ): Promise<void> {
    const order = await this.orders.lock(m, orderId);
    if (!order) {
      if (warnUnknown) this.logger.warn(`${warnUnknown} for unknown order ${orderId}`);
      return;
    }
    await loadDecideSave(m, {
      load: async () => order,
      notFound: () => DomainError.notFound('order', orderId),
      decide: (order) => {
        const decision = decide(order);
        if (decision.changes.ignored) this.logger.log(`ignored an answer for order ${orderId}: ${decision.changes.ignored}`);
        return decision;
      },
      save: async (m, order, changes) => {
        const after = await this.orders.save(m, order, changes);
        const audited = orderChanges(order, after, changes);
        if (audited.length) await this.audit.record(m, { recordType: ORDER_RECORD, recordId: orderId, action, changes: audited, actor: SYSTEM });
      },
    });
  }
}
