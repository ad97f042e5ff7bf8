import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { OpportunitiesService } from './opportunities.service';

/** The leads side: a converted lead opens an opportunity; captured and followed-up leads feed its score. */
@Controller()
export class OpportunitiesConsumer {
  constructor(private readonly opportunities: OpportunitiesService) {}

  @OnEvent('crm.lead.converted')
  async onConverted(@Payload() event: EventOf<'lead.converted'>, @Ctx() ctx: InboxContext) {
    // A historical conversion (the history import) brings its own opportunity, imported with its stages.
    if (event.data.historical) return;
    return this.opportunities.createFromLead(ctx.manager, event);
  }

  @OnEvent('crm.lead.captured')
  onCaptured(@Payload() event: EventOf<'lead.captured'>, @Ctx() ctx: InboxContext) {
    return this.opportunities.onLeadCaptured(ctx.manager, event);
  }

  @OnEvent('crm.lead.followed_up')
  onFollowedUp(@Payload() event: EventOf<'lead.followed_up'>, @Ctx() ctx: InboxContext) {
    return this.opportunities.onLeadFollowedUp(ctx.manager, event);
  }
}
