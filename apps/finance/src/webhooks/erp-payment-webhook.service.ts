import { Injectable } from '@nestjs/common';
import { Role, type AuthUser } from '@crm/http';
import { ReceivablesService } from '../receivables/receivables.service';
import type { ErpPaymentEventDto, ErpPaymentResultView } from './erp-payment-webhook.dto';
import { AlreadyApplied, decideReceipt, duplicateOf } from './webhook-receipt.domain';
import { WebhookReceiptsRepository } from './webhook-receipts.repository';

// The ERP acts on every receivable; payments it reports are recorded as made by it.
const ERP_CALLER: AuthUser = { sub: 'erp', roles: [Role.Integration] };

@Injectable()
export class ErpPaymentWebhookService {
  constructor(
    private readonly receivables: ReceivablesService,
    private readonly receipts: WebhookReceiptsRepository,
  ) {}

  /** Records the payment once per ERP event id: the claim and the payment share one transaction. */
  async apply(dto: ErpPaymentEventDto): Promise<ErpPaymentResultView> {
    const { eventId, receivableId, ...payment } = dto;
    try {
      const recorded = await this.receivables.recordPayment(
        receivableId,
        payment,
        ERP_CALLER,
        async (m) => decideReceipt(eventId, await this.receipts.claim(m, eventId)),
        true, // the ERP reported it: it is not pushed back
      );
      return { eventId, duplicate: false, recorded };
    } catch (error) {
      if (error instanceof AlreadyApplied) return duplicateOf(eventId);
      throw error;
    }
  }
}
