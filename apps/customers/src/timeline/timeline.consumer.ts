import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventEnvelope, EventOf, EventType } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { TIMELINE_EVENT_NAMES } from './timeline.domain';
import { TimelineProjection } from './timeline-projection.service';

const TIMELINE_EVENT_TYPES = TIMELINE_EVENT_NAMES.map((n) => `crm.${n}` as EventType);

/** Every service's events about a customer's records, and the merges that re-point them (ADR 0018). */
@Controller()
export class TimelineConsumer {
  constructor(private readonly projection: TimelineProjection) {}

  @OnEvent(TIMELINE_EVENT_TYPES)
  onRecordEvent(@Payload() event: EventEnvelope, @Ctx() ctx: InboxContext) {
    return this.projection.apply(ctx.manager, event);
  }

  @OnEvent('crm.rep.upserted')
  onRep(@Payload() event: EventOf<'rep.upserted'>, @Ctx() ctx: InboxContext) {
    return this.projection.repUpserted(ctx.manager, event);
  }

  @OnEvent('crm.account.merged')
  onAccountMerged(@Payload() event: EventOf<'account.merged'>, @Ctx() ctx: InboxContext) {
    return this.projection.accountMerged(ctx.manager, event);
  }

  @OnEvent('crm.account.merge_undone')
  onAccountMergeUndone(@Payload() event: EventOf<'account.merge_undone'>, @Ctx() ctx: InboxContext) {
    return this.projection.accountMergeUndone(ctx.manager, event);
  }

  @OnEvent('crm.contact.merged')
  onContactMerged(@Payload() event: EventOf<'contact.merged'>, @Ctx() ctx: InboxContext) {
    return this.projection.contactMerged(ctx.manager, event);
  }

  @OnEvent('crm.contact.merge_undone')
  onContactMergeUndone(@Payload() event: EventOf<'contact.merge_undone'>, @Ctx() ctx: InboxContext) {
    return this.projection.contactMergeUndone(ctx.manager, event);
  }
}
