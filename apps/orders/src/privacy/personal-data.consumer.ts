import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { PersonalDataService } from './personal-data.service';

/** Erasures: of a contact (customers) and of a lead that may never have become one (leads). */
@Controller()
export class PersonalDataConsumer {
  constructor(private readonly personalData: PersonalDataService) {}

  @OnEvent('crm.contact.erased')
  onContactErased(@Payload() { data }: EventOf<'contact.erased'>, @Ctx() ctx: InboxContext) {
    return this.personalData.erase(ctx.manager, { orderIds: data.orderIds, contactId: data.contactId, opportunityIds: data.opportunityIds }, data.by);
  }

  @OnEvent('crm.lead.erased')
  onLeadErased(@Payload() { data }: EventOf<'lead.erased'>, @Ctx() ctx: InboxContext) {
    return this.personalData.erase(ctx.manager, { orderIds: [], contactId: null, opportunityIds: data.opportunityIds }, data.by);
  }
}
