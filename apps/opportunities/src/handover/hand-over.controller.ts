import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { EventOf } from '@crm/contracts';
import { CurrentUser, HAND_OVER_IF_MATCH, HandOverDto, IfMatch, Role, Roles, type AuthUser } from '@crm/http';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { HandedOverOpportunityView } from './hand-over.dto';
import { OpportunityHandOverService } from './hand-over.service';

/** One open opportunity to another rep (ADR 0022). */
@ApiTags('opportunities')
@Controller('api/v1/opportunities')
export class OpportunityHandOverController {
  constructor(private readonly handOvers: OpportunityHandOverService) {}

  /** To a known, active rep (this service's copy of the reps), with the reason; a manager within their team. */
  @Post(':id/hand-over')
  @HttpCode(200)
  @Roles(Role.Admin, Role.SalesManager)
  @ApiOkResponse({ type: HandedOverOpportunityView })
  handOver(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: HandOverDto,
    @IfMatch({ optional: true, description: HAND_OVER_IF_MATCH }) version?: number,
  ) {
    return this.handOvers.handOver(user, id, dto, version);
  }
}

/** A rep's whole hand-over, decided in leads: their open opportunities follow. */
@Controller()
export class OpportunityHandOverConsumer {
  constructor(private readonly handOvers: OpportunityHandOverService) {}

  @OnEvent('crm.rep.handed_over')
  onRepHandedOver(@Payload() event: EventOf<'rep.handed_over'>, @Ctx() ctx: InboxContext) {
    return this.handOvers.onRepHandedOver(ctx.manager, event);
  }
}
