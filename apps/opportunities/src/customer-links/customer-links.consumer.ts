import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { CustomerLinksService } from './customer-links.service';

/** The customers side: a converted lead's resolution, and the merges that move an opportunity's account or contact. */
@Controller()
export class CustomerLinksConsumer {
  constructor(private readonly links: CustomerLinksService) {}

  @OnEvent('crm.contact.lead_resolved')
  onResolved(@Payload() event: EventOf<'contact.lead_resolved'>, @Ctx() ctx: InboxContext) {
    return this.links.onLeadResolved(ctx.manager, event.data);
  }

  @OnEvent('crm.account.merged')
  onAccountMerged(@Payload() event: EventOf<'account.merged'>, @Ctx() ctx: InboxContext) {
    return this.links.onMerged(ctx.manager, 'account', event.data);
  }

  @OnEvent('crm.account.merge_undone')
  onAccountMergeUndone(@Payload() event: EventOf<'account.merge_undone'>, @Ctx() ctx: InboxContext) {
    return this.links.onMergeUndone(ctx.manager, 'account', event.data);
  }

  @OnEvent('crm.contact.merged')
  onContactMerged(@Payload() event: EventOf<'contact.merged'>, @Ctx() ctx: InboxContext) {
    return this.links.onMerged(ctx.manager, 'contact', event.data);
  }

  @OnEvent('crm.contact.merge_undone')
  onContactMergeUndone(@Payload() event: EventOf<'contact.merge_undone'>, @Ctx() ctx: InboxContext) {
    return this.links.onMergeUndone(ctx.manager, 'contact', event.data);
  }
}
