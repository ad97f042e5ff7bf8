import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { EventOf } from '@crm/contracts';
import { CurrentUser, HAND_OVER_IF_MATCH, HandOverDto, IfMatch, Role, Roles, type AuthUser } from '@crm/http';
import { OnEvent, type InboxContext } from '@crm/messaging';
import { HandedOverOrderView } from './hand-over.dto';
import { OrderHandOverService } from './hand-over.service';

/** One open order to another rep (ADR 0022). */
@ApiTags('orders')
@Controller('api/v1/orders')
export class OrderHandOverController {
  constructor(private readonly handOvers: OrderHandOverService) {}

  /** To a known, active rep (the reps copy), with the reason; a manager within their team. Open alerts go with it. */
  @Post(':id/hand-over')
  @HttpCode(200)
  @Roles(Role.Admin, Role.SalesManager)
  @ApiOkResponse({ type: HandedOverOrderView })
  handOver(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: HandOverDto,
    @IfMatch({ optional: true, description: HAND_OVER_IF_MATCH }) version?: number,
  ) {
    return this.handOvers.handOver(user, id, dto, version);
  }
}

/** A rep's whole hand-over, decided in leads: their open orders follow. */
@Controller()
export class OrderHandOverConsumer {
  constructor(private readonly handOvers: OrderHandOverService) {}

  @OnEvent('crm.rep.handed_over')
  onRepHandedOver(@Payload() event: EventOf<'rep.handed_over'>, @Ctx() ctx: InboxContext) {
    return this.handOvers.onRepHandedOver(ctx.manager, event);
  }
}
