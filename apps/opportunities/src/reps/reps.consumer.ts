import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { RepsCopyService } from './reps.service';

@Controller()
export class RepsCopyConsumer {
  constructor(private readonly reps: RepsCopyService) {}

  @OnEvent('crm.rep.upserted')
  onRep(@Payload() event: EventOf<'rep.upserted'>, @Ctx() ctx: InboxContext) {
    return this.reps.upsert(ctx.manager, event);
  }
}
