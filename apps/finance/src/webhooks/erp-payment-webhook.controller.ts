import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ProblemDetailsDto, Public, SignedWebhookGuard } from '@crm/http';
import { ErpPaymentEventDto, ErpPaymentResultView } from './erp-payment-webhook.dto';
import { ErpPaymentWebhookService } from './erp-payment-webhook.service';

export const FINANCE_ERP_WEBHOOK_SECRET = Symbol('FINANCE_ERP_WEBHOOK_SECRET');

/** The ERP pushes payments received here: no bearer token, an HMAC signature over the exact body instead. */
@ApiTags('erp-webhooks')
@Controller('api/v1/erp/webhooks')
export class ErpPaymentWebhookController {
  constructor(private readonly webhooks: ErpPaymentWebhookService) {}

  @Post('payments')
  @Public()
  @ApiOperation({ operationId: 'receiveErpPaymentWebhook', summary: 'Receive a payment from the ERP (signed)' })
  @UseGuards(SignedWebhookGuard(FINANCE_ERP_WEBHOOK_SECRET, 'ERP payment'))
  @HttpCode(201)
  @ApiHeader({ name: 'X-Signature', required: true, description: 'sha256=<hex HMAC-SHA256 of `${timestamp}.${rawBody}` with FINANCE_ERP_WEBHOOK_SECRET>' })
  @ApiHeader({ name: 'X-Signature-Timestamp', required: true, description: 'unix seconds, within 5 minutes of now' })
  @ApiCreatedResponse({ type: ErpPaymentResultView, description: 'Recorded; payment.received published' })
  @ApiOkResponse({ type: ErpPaymentResultView, description: 'This event id was applied before: nothing changed' })
  @ApiUnauthorizedResponse({ type: ProblemDetailsDto, description: 'Missing, wrong or replayed (timestamp outside ±300 s) signature' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'No such receivable' })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'OVERPAYMENT, RECEIVABLE_VOIDED, DUPLICATE_PAYMENT_REFERENCE' })
  async payment(@Body() dto: ErpPaymentEventDto, @Res({ passthrough: true }) res: { status(code: number): unknown }): Promise<ErpPaymentResultView> {
    const result = await this.webhooks.apply(dto);
    if (result.duplicate) res.status(200);
    return result;
  }
}
