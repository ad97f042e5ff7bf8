import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { PersonalDataService } from './personal-data.service';

@Controller()
export class PersonalDataConsumer {
  constructor(private readonly personalData: PersonalDataService) {}

  /** An erased contact (PIPL art. 47, GDPR art. 17): their receivables keep the money, lose the name. */
  @OnEvent('crm.contact.erased')
  onContactErased(@Payload() event: EventOf<'contact.erased'>, @Ctx() ctx: InboxContext) {
    return this.personalData.erase(ctx.manager, event.data);
  }
}
