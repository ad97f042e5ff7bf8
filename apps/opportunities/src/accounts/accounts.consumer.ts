import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { AccountsService } from './accounts.service';

@Controller()
export class AccountsConsumer {
  constructor(private readonly accounts: AccountsService) {}

  @OnEvent('crm.order.confirmed')
  onConfirmed(@Payload() { data }: EventOf<'order.confirmed'>, @Ctx() { manager }: InboxContext) {
    return this.accounts.orderConfirmed(manager, data);
  }

  @OnEvent('crm.order.completed')
  onCompleted(@Payload() { data }: EventOf<'order.completed'>, @Ctx() { manager }: InboxContext) {
    return this.accounts.orderCompleted(manager, data);
  }

  @OnEvent('crm.order.cancelled')
  onCancelled(@Payload() { data }: EventOf<'order.cancelled'>, @Ctx() { manager }: InboxContext) {
    return this.accounts.orderCancelled(manager, data);
  }
}
