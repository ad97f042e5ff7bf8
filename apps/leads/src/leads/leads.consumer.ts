import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { LeadsService } from './leads.service';

@Controller()
export class LeadsConsumer {
  constructor(private readonly leads: LeadsService) {}

  @OnEvent('crm.opportunity.created')
  onOpportunityCreated(@Payload() event: EventOf<'opportunity.created'>, @Ctx() ctx: InboxContext) {
    return this.leads.onOpportunityCreated(ctx.manager, event);
  }
}
