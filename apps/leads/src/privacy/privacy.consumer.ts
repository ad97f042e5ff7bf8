import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { LeadErasureService } from './lead-erasure.service';

/** A contact erased in the customers service: their leads here lose their personal data too. */
@Controller()
export class LeadPrivacyConsumer {
  constructor(private readonly erasure: LeadErasureService) {}

  @OnEvent('crm.contact.erased')
  onContactErased(@Payload() event: EventOf<'contact.erased'>, @Ctx() ctx: InboxContext) {
    return this.erasure.onContactErased(ctx.manager, event.data);
  }
}
