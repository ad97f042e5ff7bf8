import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventEnvelope, EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { ProjectionBatch, Projector } from './projector.service';

/**
 * Every event the read model is built from, applied through the inbox (once per event id, in the same
 * transaction as its effect). The logic is in Projector, which the rebuild drives too. The events of one
 * inbox transaction share a ProjectionBatch: each touched fact is re-projected once and each aggregate
 * table written once, just before the commit.
 */
@Controller()
export class AnalyticsEventsConsumer {
  constructor(private readonly projector: Projector) {}

  private apply(event: EventEnvelope, ctx: InboxContext) {
    const batch = ctx.batch(this.projector, () => new ProjectionBatch(), (b) => this.projector.flush(b, ctx.manager));
    return this.projector.apply(event, ctx.manager, { topic: ctx.topic, partition: ctx.partition }, batch);
  }

  @OnEvent('crm.rep.upserted')
  repUpserted(@Payload() event: EventOf<'rep.upserted'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.item.upserted')
  itemUpserted(@Payload() event: EventOf<'item.upserted'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.lead.captured')
  leadCaptured(@Payload() event: EventOf<'lead.captured'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.lead.assigned')
  leadAssigned(@Payload() event: EventOf<'lead.assigned'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.lead.reassigned')
  leadReassigned(@Payload() event: EventOf<'lead.reassigned'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.lead.followed_up')
  leadFollowedUp(@Payload() event: EventOf<'lead.followed_up'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.lead.qualified')
  leadQualified(@Payload() event: EventOf<'lead.qualified'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.lead.disqualified')
  leadDisqualified(@Payload() event: EventOf<'lead.disqualified'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.lead.converted')
  leadConverted(@Payload() event: EventOf<'lead.converted'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.opportunity.created')
  opportunityCreated(@Payload() event: EventOf<'opportunity.created'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.opportunity.stage_changed')
  opportunityStageChanged(@Payload() event: EventOf<'opportunity.stage_changed'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.opportunity.won')
  opportunityWon(@Payload() event: EventOf<'opportunity.won'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.opportunity.lost')
  opportunityLost(@Payload() event: EventOf<'opportunity.lost'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.order.confirmed')
  orderConfirmed(@Payload() event: EventOf<'order.confirmed'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.order.on_hold')
  orderOnHold(@Payload() event: EventOf<'order.on_hold'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.order.allocated')
  orderAllocated(@Payload() event: EventOf<'order.allocated'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.order.status_changed')
  orderStatusChanged(@Payload() event: EventOf<'order.status_changed'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.order.shipped')
  orderShipped(@Payload() event: EventOf<'order.shipped'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.order.delivered')
  orderDelivered(@Payload() event: EventOf<'order.delivered'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.order.completed')
  orderCompleted(@Payload() event: EventOf<'order.completed'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.order.cancelled')
  orderCancelled(@Payload() event: EventOf<'order.cancelled'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.order.feedback_received')
  orderFeedbackReceived(@Payload() event: EventOf<'order.feedback_received'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.payment.received')
  paymentReceived(@Payload() event: EventOf<'payment.received'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.receivable.created')
  receivableCreated(@Payload() event: EventOf<'receivable.created'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.receivable.overdue')
  receivableOverdue(@Payload() event: EventOf<'receivable.overdue'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }

  @OnEvent('crm.receivable.voided')
  receivableVoided(@Payload() event: EventOf<'receivable.voided'>, @Ctx() ctx: InboxContext) {
    return this.apply(event, ctx);
  }
}
