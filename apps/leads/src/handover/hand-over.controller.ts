import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, HAND_OVER_IF_MATCH, HandOverDto, IfMatch, Idempotent, RepHandOverDto, Role, Roles, type AuthUser } from '@crm/http';
import { HandedOverLeadView, RepHandOverView } from './hand-over.dto';
import { HandOverService } from './hand-over.service';

const MANAGERS = [Role.Admin, Role.SalesManager] as const;

/** One lead to another rep (ADR 0022). */
@ApiTags('leads')
@Controller('api/v1/leads')
export class LeadHandOverController {
  constructor(private readonly handOvers: HandOverService) {}

  /** An open lead to a known, active rep, with the reason; a manager within their team. 409 REP_INACTIVE, RECORD_CLOSED. */
  @Post(':id/hand-over')
  @HttpCode(200)
  @Roles(...MANAGERS)
  @ApiOkResponse({ type: HandedOverLeadView })
  handOver(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: HandOverDto,
    @IfMatch({ optional: true, description: HAND_OVER_IF_MATCH }) version?: number,
  ) {
    return this.handOvers.handOverLead(user, id, dto, version);
  }
}

/** All of a rep's open work to another rep (ADR 0022). */
@ApiTags('reps')
@Controller('api/v1')
export class RepHandOverController {
  constructor(private readonly handOvers: HandOverService) {}

  /**
   * The rep's open leads move now, in one transaction; opportunities and orders follow within moments (from
   * `rep.handed_over`). The rep handing over may be inactive; the one taking over must be known and active.
   */
  @Post('reps/:repId/hand-over')
  @HttpCode(HttpStatus.ACCEPTED)
  @Roles(...MANAGERS)
  @Idempotent()
  @ApiAcceptedResponse({ type: RepHandOverView })
  handOverRep(@CurrentUser() user: AuthUser, @Param('repId', ParseUUIDPipe) repId: string, @Body() dto: RepHandOverDto) {
    return this.handOvers.handOverRep(user, repId, dto);
  }

  @Get('hand-overs/:id')
  @Roles(...MANAGERS)
  @ApiOkResponse({ type: RepHandOverView })
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.handOvers.get(user, id);
  }
}
