import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, CurrentUser, Idempotent, parseIfMatch, Role, Roles, type AuthUser } from '@crm/http';
import {
  CreateOpportunityDto,
  ListOpportunitiesQuery,
  LoseDto,
  MoveStageDto,
  PipelineSummaryView,
  SummaryQuery,
  TaskDto,
  UpdateOpportunityDto,
  WinDto,
} from './dto/opportunity.dto';
import { OpportunityDetailView, OpportunityView } from './dto/opportunity-view.dto';
import { OpportunitiesService } from './opportunities.service';

const SALES = [Role.Admin, Role.SalesManager, Role.SalesRep] as const;
const MANAGERS = [Role.Admin, Role.SalesManager] as const;

/** If-Match is optional on actions: a client may add the version check. */
const version = (ifMatch: string | undefined) => (ifMatch === undefined ? undefined : parseIfMatch(ifMatch));
const IfMatchHeader = () => ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the version acted on, e.g. "3" (412 if stale)' });

@ApiTags('opportunities')
@Controller('api/v1/opportunities')
export class OpportunitiesController {
  constructor(private readonly opportunities: OpportunitiesService) {}

  @Post()
  @Roles(...SALES)
  @Idempotent()
  @ApiCreatedResponse({ type: OpportunityDetailView })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateOpportunityDto) {
    return this.opportunities.create(user, dto);
  }

  /** `sort=-score` is the ranked worklist; a rep sees their own, a manager their team's. */
  @Get()
  @Roles(...SALES)
  @ApiPageResponse(OpportunityView)
  list(@CurrentUser() user: AuthUser, @Query() query: ListOpportunitiesQuery) {
    return this.opportunities.list(user, query);
  }

  @Get(':id')
  @Roles(...SALES)
  @ApiOkResponse({ type: OpportunityDetailView })
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.opportunities.get(user, id);
  }

  @Patch(':id')
  @Roles(...SALES)
  @IfMatchHeader()
  @ApiOkResponse({ type: OpportunityDetailView })
  update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateOpportunityDto, @Headers('if-match') ifMatch?: string) {
    return this.opportunities.update(user, id, dto, version(ifMatch));
  }

  @Post(':id/tasks')
  @Roles(...SALES)
  @ApiCreatedResponse({ type: OpportunityDetailView })
  addTask(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: TaskDto) {
    return this.opportunities.addTask(user, id, dto);
  }

  @Post(':id/tasks/:taskId/complete')
  @HttpCode(200)
  @Roles(...SALES)
  @ApiOkResponse({ type: OpportunityDetailView })
  completeTask(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Param('taskId', ParseUUIDPipe) taskId: string) {
    return this.opportunities.completeTask(user, id, taskId);
  }

  /** Forward by one or more stages; 409 EXIT_CRITERIA_UNMET lists every unmet criterion of the stages left. */
  @Post(':id/stage')
  @HttpCode(200)
  @Roles(...SALES)
  @IfMatchHeader()
  @ApiOkResponse({ type: OpportunityDetailView })
  moveStage(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: MoveStageDto, @Headers('if-match') ifMatch?: string) {
    return this.opportunities.moveStage(user, id, dto.toStage, version(ifMatch));
  }

  @Post(':id/win')
  @HttpCode(200)
  @Roles(...SALES)
  @IfMatchHeader()
  @ApiOkResponse({ type: OpportunityDetailView })
  win(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: WinDto, @Headers('if-match') ifMatch?: string) {
    return this.opportunities.win(user, id, dto, version(ifMatch));
  }

  @Post(':id/lose')
  @HttpCode(200)
  @Roles(...SALES)
  @IfMatchHeader()
  @ApiOkResponse({ type: OpportunityDetailView })
  lose(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: LoseDto, @Headers('if-match') ifMatch?: string) {
    return this.opportunities.lose(user, id, dto, version(ifMatch));
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @Roles(...MANAGERS)
  @IfMatchHeader()
  @ApiOkResponse({ type: OpportunityDetailView })
  reopen(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Headers('if-match') ifMatch?: string) {
    return this.opportunities.reopen(user, id, version(ifMatch));
  }
}

@ApiTags('opportunities')
@Controller('api/v1/pipeline')
export class PipelineSummaryController {
  constructor(private readonly opportunities: OpportunitiesService) {}

  /** Per stage: count, amount and probability-weighted amount per currency. */
  @Get('summary')
  @Roles(...SALES)
  @ApiOkResponse({ type: PipelineSummaryView })
  summary(@CurrentUser() user: AuthUser, @Query() query: SummaryQuery) {
    return this.opportunities.summary(user, query);
  }
}
