import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { ApiResponseSchemaHost } from '@nestjs/swagger';
import { ProblemDetailsDto, Public } from '@crm/http';
import { WebFormLeadDto } from './leads.dto';
import { LeadsService } from './leads.service';
import { WebFormSignatureGuard } from './webform.guard';

const WEBFORM_RESULT: ApiResponseSchemaHost['schema'] = {
  type: 'object',
  required: ['merged', 'leadId'],
  properties: { merged: { type: 'boolean' }, leadId: { type: 'string', format: 'uuid' } },
};

/** The website's form posts here: no bearer token, an HMAC signature over the exact body instead. */
@ApiTags('intake')
@Controller('api/v1/intake')
export class IntakeController {
  constructor(private readonly leads: LeadsService) {}

  @Post('web-form')
  @Public()
  @ApiOperation({ operationId: 'submitWebForm', summary: 'Submit a lead from the website form (signed)' })
  @UseGuards(WebFormSignatureGuard)
  @HttpCode(201)
  @ApiHeader({ name: 'X-Signature', required: true, description: 'sha256=<hex HMAC-SHA256 of `${timestamp}.${rawBody}` with LEADS_WEBFORM_SECRET>' })
  @ApiHeader({ name: 'X-Signature-Timestamp', required: true, description: 'unix seconds, within 5 minutes of now' })
  @ApiCreatedResponse({ description: 'A new lead', schema: WEBFORM_RESULT })
  @ApiOkResponse({ description: 'Merged into the open lead of the same person', schema: WEBFORM_RESULT })
  @ApiUnauthorizedResponse({ type: ProblemDetailsDto, description: 'Missing, wrong or replayed (timestamp outside ±300 s) signature' })
  async webForm(@Body() dto: WebFormLeadDto, @Res({ passthrough: true }) res: { status(code: number): unknown }) {
    const result = await this.leads.capture({ ...dto, source: 'web_form' }, 'web-form');
    if (result.merged) res.status(200);
    return { merged: result.merged, leadId: result.leadId };
  }
}
