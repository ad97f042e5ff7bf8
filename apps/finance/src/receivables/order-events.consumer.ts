import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventOf } from '@crm/contracts';
import { OnEvent, outboxOf, type InboxContext } from '@crm/messaging';
import { ReceivableLedgerService } from './receivable-ledger.service';

@Controller()
export class OrderEventsConsumer {
  constructor(private readonly ledger: ReceivableLedgerService) {}

  @OnEvent('crm.order.confirmed')
  async onConfirmed(@Payload() event: EventOf<'order.confirmed'>, @Ctx() ctx: InboxContext) {
    // A historical order (the history import) was invoiced and paid in the system it came from.
    if (event.data.historical) return;
    return this.ledger.open(ctx.manager, event, outboxOf(ctx));
  }

  /** An operator's retry after an ERP refusal (ADR 0013). */
  @OnEvent('crm.order.erp_retry_requested')
  onErpRetry(@Payload() event: EventOf<'order.erp_retry_requested'>, @Ctx() ctx: InboxContext) {
    return this.ledger.retry(ctx.manager, event, outboxOf(ctx));
  }

  @OnEvent('crm.order.cancelled')
  async onCancelled(@Payload() event: EventOf<'order.cancelled'>, @Ctx() ctx: InboxContext) {
    if (event.data.historical) return;
    return this.ledger.cancel(ctx.manager, event, outboxOf(ctx));
  }
}
