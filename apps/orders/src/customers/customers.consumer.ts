import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { CustomersService } from './customers.service';

/** The customers service's accounts (copied) and merges (re-pointing the orders' references). */
@Controller()
export class CustomersConsumer {
  constructor(private readonly customers: CustomersService) {}

  @OnEvent('crm.account.created')
  onCreated(@Payload() event: EventOf<'account.created'>, @Ctx() ctx: InboxContext) {
    return this.customers.upsertAccount(ctx.manager, event);
  }

  @OnEvent('crm.account.updated')
  onUpdated(@Payload() event: EventOf<'account.updated'>, @Ctx() ctx: InboxContext) {
    return this.customers.upsertAccount(ctx.manager, event);
  }

  @OnEvent('crm.account.merged')
  onAccountMerged(@Payload() event: EventOf<'account.merged'>, @Ctx() ctx: InboxContext) {
    return this.customers.merged(ctx.manager, event);
  }

  @OnEvent('crm.account.merge_undone')
  onAccountMergeUndone(@Payload() event: EventOf<'account.merge_undone'>, @Ctx() ctx: InboxContext) {
    return this.customers.mergeUndone(ctx.manager, event);
  }

  @OnEvent('crm.contact.merged')
  onContactMerged(@Payload() event: EventOf<'contact.merged'>, @Ctx() ctx: InboxContext) {
    return this.customers.merged(ctx.manager, event);
  }

  @OnEvent('crm.contact.merge_undone')
  onContactMergeUndone(@Payload() event: EventOf<'contact.merge_undone'>, @Ctx() ctx: InboxContext) {
    return this.customers.mergeUndone(ctx.manager, event);
  }
}
