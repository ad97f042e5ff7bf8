import { Body, Controller, Get, Param, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiPageResponse, type AuthUser, CurrentUser, IfMatch, Role, Roles } from '@crm/http';
import { ListRecipientsQuery, PutRecipientDto, RecipientView, UserIdParam } from './recipients.dto';
import { RecipientsService } from './recipients.service';

/** Who can be told: reps arrive by rep.upserted; admins add managers, finance and product teams here. */
@ApiTags('recipients')
@Controller('api/v1/recipients')
export class RecipientsController {
  constructor(private readonly recipients: RecipientsService) {}

  @Get()
  @Roles(Role.Admin, Role.SalesManager)
  @ApiOperation({ summary: "The directory, by user id; a manager sees their own team's" })
  @ApiPageResponse(RecipientView, 'By user id')
  list(@CurrentUser() user: AuthUser, @Query() query: ListRecipientsQuery) {
    return this.recipients.list(user, query);
  }

  @Put(':userId')
  @ApiCreatedResponse({ type: RecipientView, description: 'created: the recipient' })
  @ApiOkResponse({ type: RecipientView, description: 'replaced: the recipient' })
  @Roles(Role.Admin)
  @ApiOperation({ summary: "Adds (201, no If-Match) or replaces (200, If-Match) an entry; a rep's row keeps what the reps directory says" })
  async put(
    @Param() { userId }: UserIdParam,
    @Body() dto: PutRecipientDto,
    @IfMatch({ optional: true }) expected: number | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { recipient, created } = await this.recipients.putEntry(userId, dto, expected);
    void reply.status(created ? 201 : 200);
    return recipient;
  }
}
