import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '@crm/http';
import { NOTIFICATION_TYPE_NAMES, RECORD_KINDS } from '../catalogue/catalogue';
import { INBOX_STATUSES, type InboxStatus } from './inbox.domain';

const ID = /^[1-9]\d{0,17}$/;

export class ListNotificationsQuery extends PageQueryDto {
  @ApiPropertyOptional({
    enum: INBOX_STATUSES,
    description: 'default: every notification not archived; snoozed ones are hidden (but in `all` and `archived`) until due',
  })
  @IsOptional()
  @IsIn(INBOX_STATUSES)
  status?: InboxStatus;

  @ApiPropertyOptional({ enum: NOTIFICATION_TYPE_NAMES })
  @IsOptional()
  @IsIn(NOTIFICATION_TYPE_NAMES)
  type?: string;
}

export class SnoozeDto {
  @ApiProperty({ example: '2026-12-05T09:00:00Z', description: 'ISO 8601 instant in the future, at most 30 days ahead' })
  @IsISO8601({ strict: true })
  until: string;
}

export class ReadAllDto {
  @ApiPropertyOptional({ example: '1024', description: 'only notifications with this id or an older one (the newest the client has shown)' })
  @IsOptional()
  @Matches(ID, { message: '$property must be a notification id' })
  before?: string;
}

export class StreamQuery {
  @ApiPropertyOptional({ description: 'the last event id received, when the client cannot send the Last-Event-ID header' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: '$property must be a notification id' })
  lastEventId?: string;

  @ApiPropertyOptional({
    name: 'access_token',
    description: 'the bearer token, for browsers whose EventSource cannot set headers; accepted on this route only (the Authorization header wins)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(8192)
  access_token?: string;
}

export class NotificationItemDto {
  @ApiProperty({ example: '1024', description: 'also the live stream event id' }) id: string;
  @ApiProperty({ enum: NOTIFICATION_TYPE_NAMES }) type: string;
  @ApiProperty() critical: boolean;
  @ApiProperty({ enum: RECORD_KINDS }) recordKind: string;
  @ApiProperty() recordId: string;
  @ApiProperty({ description: "in the recipient's language and time zone" }) title: string;
  @ApiProperty() body: string;
  @ApiProperty({ example: '/leads/42' }) link: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) readAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) archivedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) snoozedUntil: string | null;
}

export class UnreadCountDto {
  @ApiProperty() unread: number;
}

export class ReadAllResultDto {
  @ApiProperty({ description: 'notifications marked read' }) updated: number;
  @ApiProperty() unread: number;
}
