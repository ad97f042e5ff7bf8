import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, CurrentUser, Idempotent, Role, Roles, type AuthUser } from '@crm/http';
import { ListMovementsQueryDto, ListStockQueryDto, ReceiveStockDto, StockLevelDto, StockMovementDto, StockReceiptDto } from './stock.dto';
import { StockService } from './stock.service';

@ApiTags('stock')
@Controller('api/v1/stock')
@Roles(Role.Admin, Role.SalesManager, Role.SalesRep, Role.Integration)
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Post('receipts')
  @Idempotent()
  @Roles(Role.Admin, Role.Integration, Role.SalesManager)
  @ApiCreatedResponse({ type: StockReceiptDto })
  receive(@Body() dto: ReceiveStockDto, @CurrentUser() user: AuthUser): Promise<StockReceiptDto> {
    return this.stock.receive(dto, user.sub);
  }

  @Get()
  @ApiPageResponse(StockLevelDto)
  levels(@Query() query: ListStockQueryDto) {
    return this.stock.levels(query);
  }

  // The movement ledger is audit data for people; a stock sync reads levels.
  @Get('movements')
  @Roles(Role.Admin, Role.SalesManager, Role.SalesRep)
  @ApiPageResponse(StockMovementDto)
  movements(@Query() query: ListMovementsQueryDto) {
    return this.stock.movements(query);
  }
}
