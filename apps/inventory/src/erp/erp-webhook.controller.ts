import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ProblemDetailsDto, Public, SignedWebhookGuard } from '@crm/http';
import { ErpStockEventDto, ErpStockEventResultDto } from './erp-webhook.dto';
import { ErpWebhookService } from './erp-webhook.service';

export const INVENTORY_ERP_WEBHOOK_SECRET = Symbol('INVENTORY_ERP_WEBHOOK_SECRET');

/** The ERP pushes stock receipts and adjustments here: no bearer token, an HMAC signature over the exact body. */
@ApiTags('erp-webhooks')
@Controller('api/v1/erp/webhooks')
export class ErpWebhookController {
  constructor(private readonly webhooks: ErpWebhookService) {}

  @Post('stock')
  @Public()
  @ApiOperation({ operationId: 'receiveErpStockWebhook', summary: 'Receive a stock receipt or adjustment from the ERP (signed)' })
  @UseGuards(SignedWebhookGuard(INVENTORY_ERP_WEBHOOK_SECRET, 'ERP stock'))
  @HttpCode(201)
  @ApiHeader({ name: 'X-Signature', required: true, description: 'sha256=<hex HMAC-SHA256 of `${timestamp}.${rawBody}` with INVENTORY_ERP_WEBHOOK_SECRET>' })
  @ApiHeader({ name: 'X-Signature-Timestamp', required: true, description: 'unix seconds, within 5 minutes of now' })
  @ApiCreatedResponse({ type: ErpStockEventResultDto, description: 'Applied' })
  @ApiOkResponse({ type: ErpStockEventResultDto, description: 'This event id was applied before: nothing changed' })
  @ApiUnauthorizedResponse({ type: ProblemDetailsDto, description: 'Missing, wrong or replayed (timestamp outside ±300 s) signature' })
  async stock(@Body() dto: ErpStockEventDto, @Res({ passthrough: true }) res: { status(code: number): unknown }): Promise<ErpStockEventResultDto> {
    const result = await this.webhooks.apply(dto);
    if (result.duplicate) res.status(200);
    return result;
  }
}
