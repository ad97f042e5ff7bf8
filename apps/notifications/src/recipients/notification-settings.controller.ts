import { Body, Controller, Get, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ALL_ROLES, type AuthUser, CurrentUser, IfMatch, RequestHeader, Roles } from '@crm/http';
import { NotificationSettingsView, PutNotificationSettingsDto } from './recipients.dto';
import { RecipientsService } from './recipients.service';

/** The caller's own delivery settings: language, time zone, quiet hours, digest time, email address. */
@ApiTags('notification-settings')
@Controller('api/v1/notification-settings')
export class NotificationSettingsController {
  constructor(private readonly recipients: RecipientsService) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "The caller's settings; without any yet, the defaults (language from Accept-Language, the business time zone)" })
  @ApiOkResponse({ type: NotificationSettingsView })
  get(@CurrentUser() user: AuthUser, @RequestHeader('accept-language') acceptLanguage?: string) {
    return this.recipients.ownSettings(user, acceptLanguage);
  }

  @Put()
  @ApiCreatedResponse({ type: NotificationSettingsView, description: 'created: the settings' })
  @ApiOkResponse({ type: NotificationSettingsView, description: 'replaced: the settings' })
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "Sets the caller's settings: the first time without If-Match (201), then with the ETag read (200)" })
  async put(
    @CurrentUser() user: AuthUser,
    @Body() dto: PutNotificationSettingsDto,
    @IfMatch({ optional: true }) expected: number | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { settings, created } = await this.recipients.putOwnSettings(user, dto, expected);
    void reply.status(created ? 201 : 200);
    return settings;
  }
}
