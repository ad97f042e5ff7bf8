import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { ProjectionBatch } from './projection-batch';
import { PROJECTED_EVENT_TYPES } from './projection.registry';
import { Projector } from './projector.service';

/**
 * Every event the read model is built from (the projection registry's list), applied through the inbox
 * (once per event id, in the same transaction as its effect). The logic is in Projector, which the rebuild
 * drives too. The events of one inbox transaction share a ProjectionBatch: each touched fact is re-projected
 * once and each aggregate table written once, just before the commit.
 */
@Controller()
export class AnalyticsEventsConsumer {
  constructor(private readonly projector: Projector) {}

  @OnEvent(PROJECTED_EVENT_TYPES)
  apply(@Payload() event: EventEnvelope, @Ctx() ctx: InboxContext) {
    const batch = ctx.batch(
      this.projector,
      () => new ProjectionBatch(),
      (b) => this.projector.flush(ctx.manager, b),
    );
    return this.projector.apply(ctx.manager, event, { topic: ctx.topic, partition: ctx.partition }, batch);
  }
}
