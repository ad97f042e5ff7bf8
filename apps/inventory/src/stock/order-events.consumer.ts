import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, outboxOf, type InboxContext } from '@crm/messaging';
import { OrderStockService } from './order-stock.service';

/**
 * Order events that move stock; each runs once, inside its inbox transaction. Every handler here answers through
 * `outboxOf(ctx)`, so a chunk's answers reach the outbox in the order of the events they answer.
 */
@Controller()
export class OrderEventsConsumer {
  constructor(private readonly orderStock: OrderStockService) {}

  @OnEvent('crm.order.confirmed')
  async onConfirmed(@Payload() event: EventOf<'order.confirmed'>, @Ctx() ctx: InboxContext): Promise<void> {
    // A historical order (the history import) took its stock in the system it came from.
    if (event.data.historical) return;
    await this.orderStock.onOrderConfirmed(ctx.manager, event, outboxOf(ctx));
  }

  /** An ERP refusal's compensation (ADR 0013): a hold of kind erp_refused puts back what the order took. */
  @OnEvent('crm.order.on_hold')
  async onHold(@Payload() event: EventOf<'order.on_hold'>, @Ctx() ctx: InboxContext): Promise<void> {
    await this.orderStock.onOrderOnHold(ctx.manager, event, outboxOf(ctx));
  }

  @OnEvent('crm.order.erp_retry_requested')
  async onErpRetry(@Payload() event: EventOf<'order.erp_retry_requested'>, @Ctx() ctx: InboxContext): Promise<void> {
    await this.orderStock.onErpRetryRequested(ctx.manager, event, outboxOf(ctx));
  }

  @OnEvent('crm.order.cancelled')
  async onCancelled(@Payload() event: EventOf<'order.cancelled'>, @Ctx() ctx: InboxContext): Promise<void> {
    if (event.data.historical) return;
    await this.orderStock.onOrderCancelled(ctx.manager, event, outboxOf(ctx));
  }
}
