import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { claimWebhookEvent } from '@crm/http';

export const ERP_WEBHOOK_SOURCE = 'finance-erp';

/** The ERP event ids applied so far (`webhook_receipts`). */
@Injectable()
export class WebhookReceiptsRepository {
  /** Records the event id in the caller's transaction: true the first time, false when it was applied before. */
  claim(m: EntityManager, eventId: string): Promise<boolean> {
    return claimWebhookEvent(m, ERP_WEBHOOK_SOURCE, eventId);
  }
}
