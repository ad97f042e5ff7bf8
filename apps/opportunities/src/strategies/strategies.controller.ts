import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Idempotent, Role, Roles, type AuthUser } from '@crm/http';
import { StrategyDto } from '../opportunities/dto/opportunity.dto';
import { StrategyListView, StrategyRecordView } from '../opportunities/dto/opportunity-view.dto';
import { StrategiesService } from './strategies.service';

@ApiTags('strategies')
@Controller('api/v1/opportunities/:id/strategies')
export class StrategiesController {
  constructor(private readonly strategies: StrategiesService) {}

  /** Appends a strategy; an adjustment names the latest record in `replacesId` (409 STRATEGY_CONFLICT otherwise). */
  @Post()
  @Roles(Role.Admin, Role.SalesManager, Role.SalesRep)
  @Idempotent()
  @ApiCreatedResponse({ type: StrategyRecordView })
  record(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: StrategyDto) {
    return this.strategies.record(user, id, dto);
  }

  /** The whole history, first to latest, each record linked to the one it replaced. */
  @Get()
  @Roles(Role.Admin, Role.SalesManager, Role.SalesRep)
  @ApiOkResponse({ type: StrategyListView })
  list(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.strategies.list(user, id);
  }
}
