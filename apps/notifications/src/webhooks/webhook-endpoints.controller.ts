import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, ApiPageResponse, CurrentUser, IfMatch, PageQueryDto, Roles, uuidParam, type AuthUser } from '@crm/http';
import {
  CreateWebhookEndpointDto,
  ListWebhookEndpointsQuery,
  UpdateWebhookEndpointDto,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookEndpointWithSecretView,
} from './webhook-endpoints.dto';
import { WebhookEndpointsService } from './webhook-endpoints.service';

// Every role may own endpoints of its own; team endpoints are checked in the domain (their managers, admins).
const ANYONE = [...ALL_ROLES];

@ApiTags('webhooks')
@Controller('api/v1/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Post()
  @Roles(...ANYONE)
  @ApiOperation({ summary: 'Create an endpoint; the answer carries its signing secret, shown this once' })
  @ApiCreatedResponse({ type: WebhookEndpointWithSecretView })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateWebhookEndpointDto) {
    return this.endpoints.create(user, dto);
  }

  @Get()
  @Roles(...ANYONE)
  @ApiOperation({ summary: "The caller's endpoints and, for a manager, their team's; all for an admin" })
  @ApiPageResponse(WebhookEndpointView)
  list(@CurrentUser() user: AuthUser, @Query() query: ListWebhookEndpointsQuery) {
    return this.endpoints.list(user, query);
  }

  @Get(':id')
  @Roles(...ANYONE)
  @ApiOkResponse({ type: WebhookEndpointView })
  get(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.endpoints.get(user, id);
  }

  @Patch(':id')
  @Roles(...ANYONE)
  @ApiOkResponse({ type: WebhookEndpointView })
  update(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Body() dto: UpdateWebhookEndpointDto, @IfMatch() expected: number) {
    return this.endpoints.update(user, id, dto, expected);
  }

  @Delete(':id')
  @Roles(...ANYONE)
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed; nothing more is sent to it' })
  async delete(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string): Promise<void> {
    await this.endpoints.delete(user, id);
  }

  @Post(':id/rotate-secret')
  @Roles(...ANYONE)
  @HttpCode(200)
  @ApiOperation({
    operationId: 'rotateWebhookEndpointSecret',
    summary: 'A new primary secret (in this answer only); the previous ones keep signing for the overlap',
  })
  @ApiOkResponse({ type: WebhookEndpointWithSecretView })
  rotateSecret(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.endpoints.rotateSecret(user, id);
  }

  @Post(':id/enable')
  @Roles(...ANYONE)
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-enable a disabled endpoint, with its failure count reset' })
  @ApiOkResponse({ type: WebhookEndpointView })
  enable(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.endpoints.enable(user, id);
  }

  @Get(':id/deliveries')
  @Roles(...ANYONE)
  @ApiOperation({ summary: "The endpoint's messages in the delivery ledger, newest first" })
  @ApiPageResponse(WebhookDeliveryView, 'Newest first')
  deliveries(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Query() query: PageQueryDto) {
    return this.endpoints.deliveries(user, id, query);
  }
}

@ApiTags('webhooks')
@Controller('api/v1/webhook-deliveries')
export class WebhookDeliveriesController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Post(':id/replay')
  @Roles(...ANYONE)
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a dead or cancelled message again, from its first attempt, to its (enabled) endpoint' })
  @ApiOkResponse({ type: WebhookDeliveryView })
  replay(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.endpoints.replay(user, id);
  }
}
