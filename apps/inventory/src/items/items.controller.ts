import { Body, Controller, Get, Headers, Param, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, parseIfMatch, Role, Roles } from '@crm/http';
import { ItemDto, ItemWithStockDto, ListItemsQueryDto, SkuParamDto, UpsertItemDto } from './items.dto';
import { ItemsService } from './items.service';

@ApiTags('items')
@Controller('api/v1/items')
@Roles(Role.Admin, Role.SalesManager, Role.SalesRep, Role.Integration)
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  /** Create or replace an item (If-Match optional: with it, only that version is replaced). */
  @Put(':sku')
  @Roles(Role.Admin, Role.Integration, Role.SalesManager)
  @ApiOkResponse({ type: ItemDto, description: 'Replaced' })
  @ApiCreatedResponse({ type: ItemDto, description: 'Created' })
  async upsert(
    @Param() { sku }: SkuParamDto,
    @Body() dto: UpsertItemDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: { status(code: number): unknown },
  ): Promise<ItemDto> {
    const expected = ifMatch === undefined ? undefined : parseIfMatch(ifMatch);
    const { item, created } = await this.items.upsert(sku, dto, expected);
    res.status(created ? 201 : 200);
    return item;
  }

  @Get()
  @ApiPageResponse(ItemDto)
  list(@Query() query: ListItemsQueryDto) {
    return this.items.list(query);
  }

  @Get(':sku')
  @ApiOkResponse({ type: ItemWithStockDto })
  get(@Param() { sku }: SkuParamDto): Promise<ItemWithStockDto> {
    return this.items.get(sku);
  }
}
