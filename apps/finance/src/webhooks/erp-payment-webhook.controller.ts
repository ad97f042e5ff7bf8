import { Body, Controller, HttpCode, Injectable, Post, Res, UseGuards } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { claimWebhookEvent, ProblemDetailsDto, Public, Role, SignedWebhookGuard, type AuthUser } from '@crm/http';
import { ReceivablesService } from '../receivables/receivables.service';
import { ErpPaymentEventDto, ErpPaymentResultView } from './erp-payment-webhook.dto';

export const FINANCE_ERP_WEBHOOK_SECRET = Symbol('FINANCE_ERP_WEBHOOK_SECRET');
export const ERP_WEBHOOK_SOURCE = 'finance-erp';
// The ERP acts on every receivable; payments it reports are recorded as made by it.
const ERP_CALLER: AuthUser = { sub: 'erp', roles: [Role.Integration] };

// Thrown inside the payment transaction when the event id was applied before: it rolls back, nothing changes.
class AlreadyApplied extends Error {}

@Injectable()
export class ErpPaymentWebhookService {
  constructor(private readonly receivables: ReceivablesService) {}

  async apply(dto: ErpPaymentEventDto): Promise<ErpPaymentResultView> {
    const { eventId, receivableId, ...payment } = dto;
    try {
      const recorded = await this.receivables.recordPayment(receivableId, payment, ERP_CALLER, async (manager) => {
        if (!(await claimWebhookEvent(manager, ERP_WEBHOOK_SOURCE, eventId))) throw new AlreadyApplied();
      });
      return { eventId, duplicate: false, recorded };
    } catch (error) {
      if (error instanceof AlreadyApplied) return { eventId, duplicate: true };
      throw error;
    }
  }
}

/** The ERP pushes payments received here: no bearer token, an HMAC signature over the exact body instead. */
@ApiTags('erp webhooks')
@Controller('api/v1/erp/webhooks')
export class ErpPaymentWebhookController {
  constructor(private readonly webhooks: ErpPaymentWebhookService) {}

  @Post('payments')
  @Public()
  @UseGuards(SignedWebhookGuard(FINANCE_ERP_WEBHOOK_SECRET, 'ERP payment'))
  @HttpCode(201)
  @ApiHeader({ name: 'X-Signature', required: true, description: 'sha256=<hex HMAC-SHA256 of `${timestamp}.${rawBody}` with FINANCE_ERP_WEBHOOK_SECRET>' })
  @ApiHeader({ name: 'X-Signature-Timestamp', required: true, description: 'unix seconds, within 5 minutes of now' })
  @ApiCreatedResponse({ type: ErpPaymentResultView, description: 'Recorded; payment.received published' })
  @ApiOkResponse({ type: ErpPaymentResultView, description: 'This event id was applied before: nothing changed' })
  @ApiUnauthorizedResponse({ type: ProblemDetailsDto, description: 'Missing, wrong or replayed (timestamp outside ±300 s) signature' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'OVERPAYMENT, RECEIVABLE_VOIDED, DUPLICATE_PAYMENT_REFERENCE' })
  async payment(@Body() dto: ErpPaymentEventDto, @Res({ passthrough: true }) res: { status(code: number): unknown }): Promise<ErpPaymentResultView> {
    const result = await this.webhooks.apply(dto);
    if (result.duplicate) res.status(200);
    return result;
  }
}
