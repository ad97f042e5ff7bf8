import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { ResolutionService } from './resolution.service';

/** Every converted lead, live or historical, is resolved to an account and a contact. */
@Controller()
export class ResolutionConsumer {
  constructor(private readonly resolution: ResolutionService) {}

  @OnEvent('crm.lead.converted')
  onConverted(@Payload() event: EventOf<'lead.converted'>, @Ctx() ctx: InboxContext) {
    return this.resolution.resolveLead(ctx.manager, event);
  }
}
