import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, CurrentUser, Roles, type AuthUser } from '@crm/http';
import { PreferencesView, PutPreferencesDto } from './preferences.dto';
import { PreferencesService } from './preferences.service';

/** The caller's own type × channel choices. */
@ApiTags('notification-preferences')
@Controller('api/v1/notification-preferences')
export class PreferencesController {
  constructor(private readonly preferences: PreferencesService) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOperation({
    operationId: 'getNotificationPreferences',
    summary: "The caller's matrix: every type × channel, enabled, and critical where it cannot be turned off",
  })
  @ApiOkResponse({ type: PreferencesView })
  get(@CurrentUser() user: AuthUser) {
    return this.preferences.matrix(user.sub);
  }

  @Put()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Sets some cells of the matrix, all or nothing; answers the new matrix' })
  @ApiOkResponse({ type: PreferencesView })
  @ApiConflictResponse({ description: 'CRITICAL_TYPE: a channel of a critical type was turned off (its `types` are named); nothing changed' })
  put(@CurrentUser() user: AuthUser, @Body() dto: PutPreferencesDto) {
    return this.preferences.change(user.sub, dto.items);
  }
}
