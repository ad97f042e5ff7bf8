import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { ErasureService } from './erasure.service';

/** A lead erased by the leads service (on request or at the end of its retention): its copies here go too. */
@Controller()
export class ErasureConsumer {
  constructor(private readonly erasures: ErasureService) {}

  @OnEvent('crm.lead.erased')
  onLeadErased(@Payload() event: EventOf<'lead.erased'>, @Ctx() ctx: InboxContext) {
    return this.erasures.leadErased(ctx.manager, event);
  }
}
