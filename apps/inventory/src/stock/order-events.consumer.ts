import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { OrderStockService } from './order-stock.service';

/** Order events that move stock; each runs once, inside its inbox transaction. */
@Controller()
export class OrderEventsConsumer {
  constructor(private readonly orderStock: OrderStockService) {}

  @OnEvent('crm.order.confirmed')
  async onConfirmed(@Payload() event: EventOf<'order.confirmed'>, @Ctx() ctx: InboxContext): Promise<void> {
    // A historical order (the history import) took its stock in the system it came from.
    if (event.data.historical) return;
    await this.orderStock.onOrderConfirmed(ctx.manager, event);
  }

  @OnEvent('crm.order.cancelled')
  async onCancelled(@Payload() event: EventOf<'order.cancelled'>, @Ctx() ctx: InboxContext): Promise<void> {
    if (event.data.historical) return;
    await this.orderStock.onOrderCancelled(ctx.manager, event);
  }
}
