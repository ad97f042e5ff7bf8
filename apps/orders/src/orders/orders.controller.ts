import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, CurrentUser, Idempotent, parseIfMatch, Role, Roles, type AuthUser } from '@crm/http';
import { CancelOrderDto, CreateOrderDto, FeedbackDto, ListOrdersQuery, NoteDto, TrackingDto } from './dto/order.dto';
import { OrderDetailView, OrderFeedbackView, OrderView } from './dto/order-view.dto';
import { FeedbackService } from '../feedback/feedback.service';
import { OrdersService } from './orders.service';

const SALES = [Role.Admin, Role.SalesManager, Role.SalesRep] as const;
const MANAGERS = [Role.Admin, Role.SalesManager] as const;
/** Tracking also comes from integrations (production systems, carriers): the one order route they may call. */
const TRACKERS = [...SALES, Role.Integration] as const;

/** If-Match is optional on actions: the workflow already refuses stale moves, a client may add the version check. */
const version = (ifMatch: string | undefined) => (ifMatch === undefined ? undefined : parseIfMatch(ifMatch));
const IfMatchHeader = () => ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the version acted on, e.g. "3" (412 if stale)' });

@ApiTags('orders')
@Controller('api/v1/orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly feedbackService: FeedbackService,
  ) {}

  @Post()
  @Roles(...SALES)
  @Idempotent()
  @ApiCreatedResponse({ type: OrderDetailView })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateOrderDto) {
    return this.orders.create(user, dto);
  }

  @Get()
  @Roles(...SALES)
  @ApiPageResponse(OrderView, 'Newest first unless sort=createdAt')
  list(@CurrentUser() user: AuthUser, @Query() query: ListOrdersQuery) {
    return this.orders.list(user, query);
  }

  @Get(':id')
  @Roles(...SALES)
  @ApiOkResponse({ type: OrderDetailView, description: 'With its status history and tracking reports' })
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.orders.get(user, id);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Roles(...SALES)
  @IfMatchHeader()
  @ApiOkResponse({ type: OrderDetailView })
  submit(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Headers('if-match') ifMatch?: string) {
    return this.orders.submit(user, id, version(ifMatch));
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Roles(...MANAGERS)
  @IfMatchHeader()
  @ApiOkResponse({ type: OrderDetailView })
  confirm(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Headers('if-match') ifMatch?: string) {
    return this.orders.confirm(user, id, version(ifMatch));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles(...MANAGERS)
  @IfMatchHeader()
  @ApiOkResponse({ type: OrderDetailView })
  reject(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: NoteDto, @Headers('if-match') ifMatch?: string) {
    return this.orders.reject(user, id, dto.note, version(ifMatch));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles(...SALES)
  @IfMatchHeader()
  @ApiOkResponse({ type: OrderDetailView })
  cancel(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CancelOrderDto, @Headers('if-match') ifMatch?: string) {
    return this.orders.cancel(user, id, dto, version(ifMatch));
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Roles(...MANAGERS)
  @IfMatchHeader()
  @ApiOkResponse({ type: OrderDetailView })
  complete(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Headers('if-match') ifMatch?: string) {
    return this.orders.complete(user, id, version(ifMatch));
  }

  /** An operator retries an order held by an ERP refusal once the ERP's data is fixed (ADR 0013). */
  @Post(':id/erp-retry')
  @HttpCode(200)
  @Roles(...MANAGERS)
  @IfMatchHeader()
  @ApiOperation({ operationId: 'retryOrderInErp' })
  @ApiOkResponse({ type: OrderDetailView })
  erpRetry(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Headers('if-match') ifMatch?: string) {
    return this.orders.erpRetry(user, id, version(ifMatch));
  }

  @Post(':id/tracking')
  @HttpCode(200)
  @Roles(...TRACKERS)
  @ApiOkResponse({ type: OrderDetailView })
  track(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: TrackingDto) {
    return this.orders.track(user, id, dto);
  }

  @Post(':id/feedback')
  @Roles(...SALES)
  @Idempotent()
  @ApiCreatedResponse({ type: OrderFeedbackView })
  feedback(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: FeedbackDto) {
    return this.feedbackService.record(user, id, dto);
  }

  @Get(':id/feedback')
  @Roles(...SALES)
  @ApiOkResponse({ type: OrderFeedbackView })
  feedbackOf(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.feedbackService.of(user, id);
  }
}
