import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, HistoryImportResultView, Role, Roles, type AuthUser } from '@crm/http';
import { OrderHistoryImportDto } from './history.dto';
import { OrderHistoryService } from './history.service';

@ApiTags('history')
@Controller('api/v1/history')
export class OrderHistoryController {
  constructor(private readonly history: OrderHistoryService) {}

  /**
   * Orders from another system with their original dates: drafted, then every status change. No stock is
   * deducted and no receivable opened for them. Idempotent per `externalId`; any invalid record refuses the
   * whole request (400, errors by `orders[i].field`); each record is stored whole or not at all. Admin and
   * integration only.
   */
  @Post('orders')
  @HttpCode(200)
  @Roles(Role.Admin, Role.Integration)
  @ApiOperation({ operationId: 'importOrderHistory' })
  @ApiOkResponse({ type: HistoryImportResultView })
  importOrders(@CurrentUser() user: AuthUser, @Body() dto: OrderHistoryImportDto) {
    return this.history.importOrders(user, dto.orders);
  }
}
