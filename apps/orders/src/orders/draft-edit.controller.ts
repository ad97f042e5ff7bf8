import { Body, Controller, HttpStatus, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentUser, IfMatch, ProblemDetailsDto, Role, Roles, type AuthUser } from '@crm/http';
import { DRAFT_EDIT_EXAMPLE, DraftOrderView, UpdateDraftOrderDto } from './dto/draft-edit.dto';
import { DraftEditService } from './draft-edit.service';

const problem = (status: HttpStatus, description: string) =>
  ApiResponse({ status, description, content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } } });

/** `PATCH /api/v1/orders/{id}`: a rep fixes a draft before submitting it (issue 19). */
@ApiTags('orders')
@ApiExtraModels(ProblemDetailsDto)
@Controller('api/v1/orders')
export class DraftEditController {
  constructor(private readonly drafts: DraftEditService) {}

  @Patch(':id')
  @Roles(Role.Admin, Role.SalesManager, Role.SalesRep)
  @ApiOperation({
    operationId: 'editDraftOrder',
    summary: 'Edit a draft order',
    description:
      'Lines (the whole set), currency, payment terms, addresses and promised date of a draft; parts left out stay. Needs If-Match. The owner rep, their manager or an admin.',
  })
  @ApiBody({ type: UpdateDraftOrderDto, examples: { 'fix lines, terms and date': { value: DRAFT_EDIT_EXAMPLE } } })
  @ApiOkResponse({ type: DraftOrderView, description: 'the draft as it now stands, with its new ETag' })
  @problem(HttpStatus.BAD_REQUEST, 'invalid fields (`errors[]`): a SKU the catalogue does not sell, a past promised date, a new currency without lines …')
  @problem(HttpStatus.NOT_FOUND, 'no such order, or not the caller’s')
  @problem(HttpStatus.CONFLICT, '`NOT_A_DRAFT`: only a draft can be edited')
  @problem(HttpStatus.PRECONDITION_FAILED, 'the order changed since the If-Match version was read')
  @problem(HttpStatus.PRECONDITION_REQUIRED, 'If-Match is required')
  editDraftOrder(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateDraftOrderDto, @IfMatch() expected: number) {
    return this.drafts.edit(user, id, dto, expected);
  }
}
