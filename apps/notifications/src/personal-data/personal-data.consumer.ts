import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { PersonalDataService } from './personal-data.service';

/** Erasures (PIPL art. 47, GDPR art. 17): what was told about the person no longer names them. */
@Controller()
export class PersonalDataConsumer {
  constructor(private readonly personalData: PersonalDataService) {}

  @OnEvent('crm.contact.erased')
  onContactErased(@Payload() event: EventOf<'contact.erased'>, @Ctx() ctx: InboxContext) {
    return this.personalData.contactErased(ctx.manager, event.data);
  }

  @OnEvent('crm.lead.erased')
  onLeadErased(@Payload() event: EventOf<'lead.erased'>, @Ctx() ctx: InboxContext) {
    return this.personalData.leadErased(ctx.manager, event.data);
  }
}
