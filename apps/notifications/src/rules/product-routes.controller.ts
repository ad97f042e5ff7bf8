import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Role, Roles } from '@crm/http';
import { ProductLineParam, ProductRouteListView, ProductRouteView, PutProductRouteDto } from './rules.dto';
import { RulesService } from './rules.service';

/** Which team hears of a product line's complaints and quality problems (the product_team audience). */
@ApiTags('product-routes')
@Controller('api/v1/product-routes')
export class ProductRoutesController {
  constructor(private readonly rules: RulesService) {}

  @Get()
  @Roles(Role.Admin, Role.SalesManager, Role.ProductTeam)
  @ApiOperation({ summary: 'The routing table: product line → team' })
  @ApiOkResponse({ type: ProductRouteListView })
  list() {
    return this.rules.listProductRoutes();
  }

  @Put(':productLine')
  @ApiCreatedResponse({ type: ProductRouteView, description: 'created: the route' })
  @ApiOkResponse({ type: ProductRouteView, description: 'replaced: the route' })
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Routes a product line to a team (201 when new, 200 when changed)' })
  async put(@Param() { productLine }: ProductLineParam, @Body() dto: PutProductRouteDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { route, created } = await this.rules.putProductRoute(productLine, dto.team);
    void reply.status(created ? 201 : 200);
    return route;
  }

  @Delete(':productLine')
  @Roles(Role.Admin)
  @HttpCode(204)
  @ApiOperation({ summary: 'Removes a product line route' })
  @ApiNoContentResponse()
  remove(@Param() { productLine }: ProductLineParam) {
    return this.rules.deleteProductRoute(productLine);
  }
}
