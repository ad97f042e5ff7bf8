import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, IfMatch, Role, Roles } from '@crm/http';
import { NotificationTypeListView, NotificationTypeView, PatchTypeDto, TypeParam } from './rules.dto';
import { RulesService } from './rules.service';

/** The notification types: everyone may read which are critical; admins change that and the escalation window. */
@ApiTags('notification-types')
@Controller('api/v1/notification-types')
export class NotificationTypesController {
  constructor(private readonly rules: RulesService) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Every type: critical, escalateAfterMinutes, the record kind it is about, and its version' })
  @ApiOkResponse({ type: NotificationTypeListView })
  list() {
    return this.rules.listTypes();
  }

  @Patch(':type')
  @Roles(Role.Admin)
  @ApiOperation({ summary: "Changes a type's criticality or escalation window (If-Match required)" })
  @ApiOkResponse({ type: NotificationTypeView })
  edit(@Param() { type }: TypeParam, @Body() dto: PatchTypeDto, @IfMatch() expected: number) {
    return this.rules.editType(type, dto, expected);
  }
}
