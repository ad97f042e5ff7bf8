import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { OrderEventsService } from './order-events.service';

/** The saga's order side: a won deal drafts an order; inventory's and finance's answers move it on. */
@Controller()
export class OrdersConsumer {
  constructor(private readonly orders: OrderEventsService) {}

  @OnEvent('crm.opportunity.won')
  async onWon(@Payload() event: EventOf<'opportunity.won'>, @Ctx() ctx: InboxContext) {
    // A historical win (the history import) brings its own order, imported with its status history.
    if (event.data.historical) return;
    return this.orders.draftFromOpportunity(ctx.manager, event);
  }

  @OnEvent('crm.opportunity.customer_linked')
  onCustomerLinked(@Payload() event: EventOf<'opportunity.customer_linked'>, @Ctx() ctx: InboxContext) {
    return this.orders.linkCustomer(ctx.manager, event);
  }

  @OnEvent('crm.stock.deducted')
  onDeducted(@Payload() event: EventOf<'stock.deducted'>, @Ctx() ctx: InboxContext) {
    return this.orders.onStockDeducted(ctx.manager, event);
  }

  @OnEvent('crm.stock.insufficient')
  onInsufficient(@Payload() event: EventOf<'stock.insufficient'>, @Ctx() ctx: InboxContext) {
    return this.orders.onStockInsufficient(ctx.manager, event);
  }

  @OnEvent('crm.stock.deduction_refused')
  onDeductionRefused(@Payload() event: EventOf<'stock.deduction_refused'>, @Ctx() ctx: InboxContext) {
    return this.orders.onErpRefused(ctx.manager, event);
  }

  @OnEvent('crm.receivable.refused')
  onReceivableRefused(@Payload() event: EventOf<'receivable.refused'>, @Ctx() ctx: InboxContext) {
    return this.orders.onErpRefused(ctx.manager, event);
  }

  @OnEvent('crm.payment.received')
  onPayment(@Payload() event: EventOf<'payment.received'>, @Ctx() ctx: InboxContext) {
    return this.orders.onPaymentReceived(ctx.manager, event);
  }
}
