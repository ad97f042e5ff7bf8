import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { CustomerMergesService } from './customer-merges.service';

/** Merges of accounts and contacts (ADR 0018): the receivables' references follow, in the inbox transaction. */
@Controller()
export class CustomerMergesConsumer {
  constructor(private readonly merges: CustomerMergesService) {}

  @OnEvent('crm.account.merged')
  onAccountMerged(@Payload() event: EventOf<'account.merged'>, @Ctx() ctx: InboxContext) {
    return this.merges.merged(ctx.manager, 'account', event.data);
  }

  @OnEvent('crm.account.merge_undone')
  onAccountMergeUndone(@Payload() event: EventOf<'account.merge_undone'>, @Ctx() ctx: InboxContext) {
    return this.merges.undone(ctx.manager, 'account', event.data);
  }

  @OnEvent('crm.contact.merged')
  onContactMerged(@Payload() event: EventOf<'contact.merged'>, @Ctx() ctx: InboxContext) {
    return this.merges.merged(ctx.manager, 'contact', event.data);
  }

  @OnEvent('crm.contact.merge_undone')
  onContactMergeUndone(@Payload() event: EventOf<'contact.merge_undone'>, @Ctx() ctx: InboxContext) {
    return this.merges.undone(ctx.manager, 'contact', event.data);
  }
}
