import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IfMatch, Role, Roles } from '@crm/http';
import { NotificationRuleListView, NotificationRuleView, PutRuleDto, RuleIdParam } from './rules.dto';
import { RulesService } from './rules.service';

/** The rules are data: which event makes which notification, for whom, over which channels. */
@ApiTags('notification-rules')
@Controller('api/v1/notification-rules')
export class RulesController {
  constructor(private readonly rules: RulesService) {}

  @Get()
  @Roles(Role.Admin, Role.SalesManager)
  @ApiOperation({ summary: 'Every rule, and the event types a rule may name' })
  @ApiOkResponse({ type: NotificationRuleListView })
  list() {
    return this.rules.listRules();
  }

  @Put(':id')
  @ApiCreatedResponse({ type: NotificationRuleView, description: 'created: the rule' })
  @ApiOkResponse({ type: NotificationRuleView, description: 'replaced: the rule' })
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Creates a rule (201, no If-Match) or replaces one (200, If-Match); the fan-out applies it to the next event' })
  async put(
    @Param() { id }: RuleIdParam,
    @Body() dto: PutRuleDto,
    @IfMatch({ optional: true }) expected: number | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { rule, created } = await this.rules.putRule(id, dto, expected);
    void reply.status(created ? 201 : 200);
    return rule;
  }

  @Delete(':id')
  @Roles(Role.Admin)
  @HttpCode(204)
  @ApiOperation({ summary: 'Removes a rule (If-Match optional)' })
  @ApiNoContentResponse()
  remove(@Param() { id }: RuleIdParam, @IfMatch({ optional: true }) expected: number | undefined) {
    return this.rules.deleteRule(id, expected);
  }
}
