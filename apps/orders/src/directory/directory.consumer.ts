import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { DirectoryService } from './directory.service';

@Controller()
export class DirectoryConsumer {
  constructor(private readonly directory: DirectoryService) {}

  @OnEvent('crm.item.upserted')
  onItem(@Payload() event: EventOf<'item.upserted'>, @Ctx() ctx: InboxContext) {
    return this.directory.upsertItem(ctx.manager, event);
  }

  @OnEvent('crm.rep.upserted')
  onRep(@Payload() event: EventOf<'rep.upserted'>, @Ctx() ctx: InboxContext) {
    return this.directory.upsertRep(ctx.manager, event);
  }
}
