import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiForbiddenResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser, IfMatch, Role, Roles, parseIfMatch, type AuthUser } from '@crm/http';
import { periodError } from '../quotas/quotas.service';
import { IncentivePlanListView, IncentivePlanView, IncentivesQueryDto, IncentivesView, PutIncentivePlanDto } from './incentives.dto';
import { IncentivesService } from './incentives.service';

/**
 * Incentive plans per period and team (admins: any team; managers: their own) and the incentives earned
 * under them, computed from the KPI scorecard's figures.
 */
@ApiTags('incentives')
@Controller('api/v1')
export class IncentivesController {
  constructor(private readonly incentives: IncentivesService) {}

  @Put('incentive-plans/:period/:team')
  @Roles(Role.Admin, Role.SalesManager)
  @ApiHeader({ name: 'If-Match', required: false, description: 'Required to replace an existing plan: the ETag you read, e.g. "3"; omit it to create one' })
  @ApiOkResponse({
    type: IncentivePlanView,
    description: 'Created or replaced (version + 1); 400 with field errors when bands overlap, leave a gap or a rate is out of 0..1',
  })
  @ApiForbiddenResponse({ description: 'TEAM_NOT_YOURS: a manager sets the plan of their own team only' })
  @ApiConflictResponse({ description: 'PLAN_EXISTS: the plan exists and the request has no If-Match' })
  put(
    @Param('period') period: string,
    @Param('team') team: string,
    @Body() dto: PutIncentivePlanDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() user: AuthUser,
  ): Promise<IncentivePlanView> {
    return this.incentives.put(period, team, dto, user, ifMatch === undefined ? undefined : parseIfMatch(ifMatch));
  }

  @Delete('incentive-plans/:period/:team')
  @Roles(Role.Admin, Role.SalesManager)
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  remove(@Param('period') period: string, @Param('team') team: string, @IfMatch() version: number, @CurrentUser() user: AuthUser): Promise<void> {
    return this.incentives.remove(period, team, user, version);
  }

  @Get('incentive-plans/:period/:team')
  @Roles(Role.Admin, Role.SalesManager, Role.SalesRep)
  @ApiOkResponse({ type: IncentivePlanView, description: "A plan; a rep sees their own team's" })
  get(@Param('period') period: string, @Param('team') team: string, @CurrentUser() user: AuthUser): Promise<IncentivePlanView> {
    return this.incentives.get(period, team, user);
  }

  @Get('incentive-plans')
  @Roles(Role.Admin, Role.SalesManager, Role.SalesRep)
  @ApiQuery({ name: 'period', type: String, required: true, example: '2026-Q3' })
  @ApiOkResponse({ type: IncentivePlanListView })
  list(@Query('period') period: string | undefined, @CurrentUser() user: AuthUser) {
    if (!period) throw periodError();
    return this.incentives.list(period, user);
  }

  @Get('incentives')
  @Roles(Role.Admin, Role.SalesManager, Role.SalesRep)
  @ApiOkResponse({
    type: IncentivesView,
    description:
      "Each rep's earned incentive for the period under their team's plan, from the KPI scorecard's revenue, quota and ranks in the plan currency " +
      '(a rep sees their own, a manager their team)',
  })
  earned(@Query() q: IncentivesQueryDto, @CurrentUser() user: AuthUser): Promise<IncentivesView> {
    return this.incentives.incentives(q.period, user, q.team);
  }
}
