import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { SourcesService } from './sources.service';

/** Every event the notifications service reads: the copies it keeps, and those that may tell someone. */
@Controller()
export class SourcesConsumer {
  constructor(private readonly sources: SourcesService) {}

  @OnEvent('crm.rep.upserted')
  onRep(@Payload() event: EventOf<'rep.upserted'>, @Ctx() ctx: InboxContext) {
    return this.sources.rep(ctx.manager, event);
  }

  @OnEvent('crm.item.upserted')
  onItem(@Payload() event: EventOf<'item.upserted'>, @Ctx() ctx: InboxContext) {
    return this.sources.item(ctx.manager, event);
  }

  @OnEvent('crm.lead.captured')
  onLeadCaptured(@Payload() event: EventOf<'lead.captured'>, @Ctx() ctx: InboxContext) {
    return this.sources.leadCaptured(ctx.manager, event);
  }

  @OnEvent('crm.contact.lead_resolved')
  onLeadResolved(@Payload() event: EventOf<'contact.lead_resolved'>, @Ctx() ctx: InboxContext) {
    return this.sources.leadResolved(ctx.manager, event);
  }

  @OnEvent('crm.lead.assigned')
  onLeadAssigned(@Payload() event: EventOf<'lead.assigned'>, @Ctx() ctx: InboxContext) {
    return this.sources.leadAssigned(ctx.manager, event);
  }

  @OnEvent('crm.lead.reassigned')
  onLeadReassigned(@Payload() event: EventOf<'lead.reassigned'>, @Ctx() ctx: InboxContext) {
    return this.sources.leadReassigned(ctx.manager, event);
  }

  @OnEvent('crm.lead.first_follow_up_due_soon')
  onFollowUpDueSoon(@Payload() event: EventOf<'lead.first_follow_up_due_soon'>, @Ctx() ctx: InboxContext) {
    return this.sources.notify(ctx.manager, event, 'lead', event.data.leadId);
  }

  @OnEvent('crm.lead.followed_up')
  onFollowedUp(@Payload() event: EventOf<'lead.followed_up'>, @Ctx() ctx: InboxContext) {
    return this.sources.followedUp(ctx.manager, event);
  }

  @OnEvent(['crm.lead.converted', 'crm.lead.disqualified'])
  onLeadClosed(@Payload() event: EventOf<'lead.converted' | 'lead.disqualified'>, @Ctx() ctx: InboxContext) {
    return this.sources.leadClosed(ctx.manager, event);
  }

  @OnEvent('crm.opportunity.created')
  onOpportunityCreated(@Payload() event: EventOf<'opportunity.created'>, @Ctx() ctx: InboxContext) {
    return this.sources.opportunityCreated(ctx.manager, event);
  }

  @OnEvent('crm.opportunity.stage_overdue')
  onStageOverdue(@Payload() event: EventOf<'opportunity.stage_overdue'>, @Ctx() ctx: InboxContext) {
    return this.sources.notify(ctx.manager, event, 'opportunity', event.data.opportunityId);
  }

  @OnEvent('crm.opportunity.reassigned')
  onOpportunityReassigned(@Payload() event: EventOf<'opportunity.reassigned'>, @Ctx() ctx: InboxContext) {
    return this.sources.opportunityReassigned(ctx.manager, event);
  }

  @OnEvent('crm.order.reassigned')
  onOrderReassigned(@Payload() event: EventOf<'order.reassigned'>, @Ctx() ctx: InboxContext) {
    return this.sources.orderReassigned(ctx.manager, event);
  }

  /** An order's owner, name and product lines; a draft's edit may change its lines, so its product lines. */
  @OnEvent(['crm.order.drafted', 'crm.order.draft_updated', 'crm.order.confirmed'])
  onOrder(@Payload() event: EventOf<'order.drafted' | 'order.draft_updated' | 'order.confirmed'>, @Ctx() ctx: InboxContext) {
    return this.sources.order(ctx.manager, event);
  }

  @OnEvent(['crm.order.on_hold', 'crm.order.delayed', 'crm.order.feedback_received'])
  onOrderAlert(@Payload() event: EventOf<'order.on_hold' | 'order.delayed' | 'order.feedback_received'>, @Ctx() ctx: InboxContext) {
    return this.sources.notify(ctx.manager, event, 'order', event.data.orderId);
  }

  @OnEvent('crm.receivable.created')
  onReceivable(@Payload() event: EventOf<'receivable.created'>, @Ctx() ctx: InboxContext) {
    return this.sources.receivableCreated(ctx.manager, event);
  }

  @OnEvent('crm.receivable.overdue')
  onReceivableOverdue(@Payload() event: EventOf<'receivable.overdue'>, @Ctx() ctx: InboxContext) {
    return this.sources.receivableOverdue(ctx.manager, event);
  }
}
