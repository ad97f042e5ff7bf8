import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IfMatch, Role, Roles } from '@crm/http';
import { CreateRuleDto, RuleListView, RuleView, SimulateDto, SimulationView, UpdateRuleDto } from './rules.dto';
import { RulesService } from './rules.service';

const MANAGERS = [Role.Admin, Role.SalesManager] as const;

@ApiTags('assignment-rules')
@Controller('api/v1/assignment-rules')
@Roles(...MANAGERS)
export class RulesController {
  constructor(private readonly rules: RulesService) {}

  @Get()
  @ApiOkResponse({ type: RuleListView })
  list() {
    return this.rules.list().then((items) => ({ items }));
  }

  /** Who would have got what under a proposed rule set, against what really happened; changes nothing. */
  @Post('simulate')
  @HttpCode(200)
  @ApiOkResponse({ type: SimulationView })
  simulate(@Body() dto: SimulateDto) {
    return this.rules.simulate(dto);
  }

  @Get(':id')
  @ApiOkResponse({ type: RuleView })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.rules.get(id);
  }

  @Post()
  @ApiCreatedResponse({ type: RuleView })
  create(@Body() dto: CreateRuleDto) {
    return this.rules.create(dto);
  }

  @Patch(':id')
  @ApiOkResponse({ type: RuleView })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateRuleDto, @IfMatch() version: number) {
    return this.rules.update(id, dto, version);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  remove(@Param('id', ParseUUIDPipe) id: string) {
    return this.rules.remove(id);
  }
}
