import { Body, Controller, Get, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, IfMatch, Role, Roles, type AuthUser } from '@crm/http';
import { DuplicateRuleListView, DuplicateRuleView, UpdateDuplicateRuleDto } from './duplicate-rules.dto';
import { DuplicatesService } from './duplicates.service';

/** The duplicate rules are data: managers read them, admins change them. */
@ApiTags('duplicate-rules')
@Controller('api/v1/duplicate-rules')
export class DuplicateRulesController {
  constructor(private readonly duplicates: DuplicatesService) {}

  @Get()
  @Roles(Role.Admin, Role.SalesManager)
  @ApiOkResponse({ type: DuplicateRuleListView })
  list() {
    return this.duplicates.listRules();
  }

  @Patch(':id')
  @Roles(Role.Admin)
  @ApiOkResponse({ type: DuplicateRuleView })
  update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateDuplicateRuleDto, @IfMatch() expected: number) {
    return this.duplicates.updateRule(user, id, dto, expected);
  }
}
