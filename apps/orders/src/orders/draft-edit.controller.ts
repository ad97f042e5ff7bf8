import { Body, Controller, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, IfMatch, Role, Roles, type AuthUser } from '@crm/http';
import { UpdateDraftOrderDto } from './dto/draft-edit.dto';
import { OrderDetailView } from './dto/order-view.dto';
import { DraftEditService } from './draft-edit.service';

/** `PATCH /api/v1/orders/{id}`: a rep fixes a draft before submitting it (issue 19). */
@ApiTags('orders')
@Controller('api/v1/orders')
export class DraftEditController {
  constructor(private readonly drafts: DraftEditService) {}

  @Patch(':id')
  @Roles(Role.Admin, Role.SalesManager, Role.SalesRep)
  @ApiOperation({
    summary: 'Edit a draft order',
    description:
      'Lines (the whole set), currency, payment terms, addresses and promised date of a draft; parts left out stay. Needs If-Match. The owner rep, their manager or an admin.',
  })
  @ApiOkResponse({ type: OrderDetailView, description: 'the draft as it now stands (with its edits), with its new ETag' })
  @ApiBadRequestResponse({
    description: 'invalid fields (`errors[]`): a SKU the catalogue does not sell, a past promised date, a new currency without lines …',
  })
  @ApiConflictResponse({ description: '`NOT_A_DRAFT`: only a draft can be edited' })
  editDraftOrder(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateDraftOrderDto, @IfMatch() expected: number) {
    return this.drafts.edit(user, id, dto, expected);
  }
}
