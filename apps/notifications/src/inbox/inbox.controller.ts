import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ALL_ROLES, ApiPageResponse, type AuthUser, CurrentUser, RequestHeader, Roles } from '@crm/http';
import { resumeAfter } from './inbox.domain';
import { ListNotificationsQuery, NotificationItemDto, ReadAllDto, ReadAllResultDto, SnoozeDto, StreamQuery, UnreadCountDto } from './inbox.dto';
import { InboxService } from './inbox.service';
import { InboxStreams } from './inbox-streams';

/** The caller's own in-app notifications; every role has an inbox, and sees only its own. */
@ApiTags('notifications')
@Controller('api/v1/notifications')
@Roles(...ALL_ROLES)
export class InboxController {
  constructor(
    private readonly inbox: InboxService,
    private readonly streams: InboxStreams,
  ) {}

  @Get()
  @ApiPageResponse(NotificationItemDto, 'unread first, then newest')
  list(@CurrentUser() user: AuthUser, @Query() q: ListNotificationsQuery, @RequestHeader('accept-language') lang?: string) {
    return this.inbox.list(user.sub, q, lang);
  }

  @Get('unread-count')
  @ApiOkResponse({ type: UnreadCountDto })
  @ApiOperation({ operationId: 'getUnreadNotificationCount' })
  unreadCount(@CurrentUser() user: AuthUser) {
    return this.inbox.unreadCount(user.sub);
  }

  /**
   * Server-Sent Events: `notification` (id = the notification id, data = the list item) and `unread-count`.
   * Resumes after Last-Event-ID (or `lastEventId`); without it starts from now with the unread count.
   */
  @Get('stream')
  @ApiOperation({ operationId: 'streamNotifications', summary: 'Stream new notifications and the unread count (Server-Sent Events)' })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this notification id' })
  @ApiOkResponse({
    description: 'an endless stream: `notification` and `unread-count` events, heartbeat comments every NOTIFICATIONS_SSE_HEARTBEAT_MS',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  async stream(
    @CurrentUser() user: AuthUser,
    @Query() q: StreamQuery,
    @Res() reply: FastifyReply,
    @RequestHeader('last-event-id') lastEventId?: string,
    @RequestHeader('accept-language') lang?: string,
  ): Promise<void> {
    reply.hijack();
    reply.raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // nginx would otherwise hold events back
    });
    reply.raw.flushHeaders();
    await this.streams.open(user.sub, reply.raw, resumeAfter(lastEventId, q.lastEventId), lang);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOkResponse({ type: ReadAllResultDto })
  @ApiOperation({ operationId: 'markAllNotificationsRead' })
  readAll(@CurrentUser() user: AuthUser, @Body() dto: ReadAllDto) {
    return this.inbox.readAll(user.sub, dto.before);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationItemDto })
  @ApiOperation({ operationId: 'markNotificationRead' })
  read(@CurrentUser() user: AuthUser, @Param('id') id: string, @RequestHeader('accept-language') lang?: string) {
    return this.inbox.read(user.sub, id, lang);
  }

  @Post(':id/unread')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationItemDto })
  @ApiOperation({ operationId: 'markNotificationUnread' })
  unread(@CurrentUser() user: AuthUser, @Param('id') id: string, @RequestHeader('accept-language') lang?: string) {
    return this.inbox.unread(user.sub, id, lang);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationItemDto })
  archive(@CurrentUser() user: AuthUser, @Param('id') id: string, @RequestHeader('accept-language') lang?: string) {
    return this.inbox.archive(user.sub, id, lang);
  }

  @Post(':id/snooze')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationItemDto })
  snooze(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: SnoozeDto, @RequestHeader('accept-language') lang?: string) {
    return this.inbox.snooze(user.sub, id, dto.until, lang);
  }
}
