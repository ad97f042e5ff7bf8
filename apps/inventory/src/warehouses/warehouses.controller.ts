import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, Idempotent, PageQueryDto, Role, Roles } from '@crm/http';
import { CreateWarehouseDto, WarehouseDto } from './warehouses.dto';
import { WarehousesService } from './warehouses.service';

@ApiTags('warehouses')
@Controller('api/v1/warehouses')
export class WarehousesController {
  constructor(private readonly warehouses: WarehousesService) {}

  @Post()
  @Idempotent()
  @Roles(Role.Admin, Role.Integration)
  @ApiCreatedResponse({ type: WarehouseDto })
  create(@Body() dto: CreateWarehouseDto): Promise<WarehouseDto> {
    return this.warehouses.create(dto);
  }

  @Get()
  @Roles(Role.Admin, Role.SalesManager, Role.SalesRep, Role.Integration)
  @ApiPageResponse(WarehouseDto)
  list(@Query() query: PageQueryDto) {
    return this.warehouses.list(query);
  }
}
