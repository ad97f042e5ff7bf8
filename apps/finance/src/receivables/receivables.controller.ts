import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, CurrentUser, Idempotent, Role, Roles, uuidParam, type AuthUser, type Page } from '@crm/http';
import { ListReceivablesQueryDto, ReceivableDetailView, ReceivableView, RecordPaymentDto, RecordedPaymentView } from './receivables.dto';
import { ReceivablesService } from './receivables.service';

@ApiTags('receivables')
@Controller('api/v1/receivables')
@Roles(Role.Admin, Role.Integration, Role.SalesManager, Role.SalesRep)
export class ReceivablesController {
  constructor(private readonly receivables: ReceivablesService) {}

  // A bank feed or ERP finds the receivable of the order a payment names (by-order, then by id); browsing is for people.
  @Get()
  @Roles(Role.Admin, Role.SalesManager, Role.SalesRep)
  @ApiPageResponse(ReceivableView, 'Newest first; reps see their own orders, managers their team')
  list(@Query() query: ListReceivablesQueryDto, @CurrentUser() user: AuthUser): Promise<Page<ReceivableView>> {
    return this.receivables.list(query, user);
  }

  @Get('by-order/:orderId')
  @ApiOperation({ operationId: 'getReceivableByOrder' })
  @ApiOkResponse({ type: ReceivableDetailView })
  @ApiNotFoundResponse({ description: 'No receivable for this order (not confirmed yet, or not yours)' })
  byOrder(@Param('orderId', uuidParam('orderId')) orderId: string, @CurrentUser() user: AuthUser): Promise<ReceivableDetailView> {
    return this.receivables.getByOrder(orderId, user);
  }

  @Get(':id')
  @ApiOkResponse({ type: ReceivableDetailView })
  @ApiNotFoundResponse()
  get(@Param('id', uuidParam('id')) id: string, @CurrentUser() user: AuthUser): Promise<ReceivableDetailView> {
    return this.receivables.get(id, user);
  }

  @Post(':id/payments')
  @Roles(Role.Admin, Role.Integration, Role.SalesManager)
  @Idempotent()
  @ApiCreatedResponse({ type: RecordedPaymentView })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'OVERPAYMENT (more than outstanding), RECEIVABLE_VOIDED, DUPLICATE_PAYMENT_REFERENCE' })
  recordPayment(@Param('id', uuidParam('id')) id: string, @Body() dto: RecordPaymentDto, @CurrentUser() user: AuthUser): Promise<RecordedPaymentView> {
    return this.receivables.recordPayment(id, dto, user);
  }
}
