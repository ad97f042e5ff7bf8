import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { AccountsService } from './accounts.service';

@Controller()
export class AccountsConsumer {
  constructor(private readonly accounts: AccountsService) {}

  @OnEvent('crm.order.confirmed')
  onConfirmed(@Payload() event: EventOf<'order.confirmed'>, @Ctx() ctx: InboxContext) {
    return this.accounts.orderConfirmed(ctx.manager, event);
  }

  @OnEvent('crm.order.completed')
  onCompleted(@Payload() event: EventOf<'order.completed'>, @Ctx() ctx: InboxContext) {
    return this.accounts.orderCompleted(ctx.manager, event);
  }

  @OnEvent('crm.order.cancelled')
  onCancelled(@Payload() event: EventOf<'order.cancelled'>, @Ctx() ctx: InboxContext) {
    return this.accounts.orderCancelled(ctx.manager, event);
  }
}
