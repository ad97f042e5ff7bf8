import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '@crm/http';
import { NOTIFICATION_TYPE_NAMES, type NotificationType } from '../catalogue/catalogue';
import { WEBHOOK_FORMATS, type WebhookFormat } from './webhook-endpoint.domain';

const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
// The scheme is checked here; which hosts plain http may reach depends on the deployment (webhook-endpoint.domain.ts).
const HTTP_URL = /^https?:\/\/\S+$/i;
const URL_MESSAGE = 'url must be an https:// URL (http:// only to 127.0.0.1 or localhost, outside production)';

class EndpointFieldsDto {
  @ApiPropertyOptional({
    enum: WEBHOOK_FORMATS,
    default: 'standard',
    description: 'standard (Standard Webhooks JSON), or the body of a WeCom, DingTalk or Slack robot',
  })
  @IsOptional()
  @IsIn(WEBHOOK_FORMATS)
  format?: WebhookFormat;

  @ApiPropertyOptional({ type: [String], enum: NOTIFICATION_TYPE_NAMES, description: 'the notification types sent here; empty: all' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(NOTIFICATION_TYPE_NAMES.length)
  @IsIn(NOTIFICATION_TYPE_NAMES, { each: true })
  types?: NotificationType[];

  @ApiPropertyOptional({ maxLength: 500, description: 'an empty string clears it' }) @IsOptional() @IsString() @MaxLength(500) description?: string;
}

export class CreateWebhookEndpointDto extends EndpointFieldsDto {
  @ApiProperty({ example: 'https://hooks.example.com/crm', maxLength: 2000 })
  @Trim()
  @IsString()
  @MaxLength(2000)
  @Matches(HTTP_URL, { message: URL_MESSAGE })
  url: string;

  @ApiPropertyOptional({ description: "a team's endpoint instead of the caller's own: for that team's sales managers and admins" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  ownerTeam?: string;
}

export class UpdateWebhookEndpointDto extends EndpointFieldsDto {
  @ApiPropertyOptional({ maxLength: 2000 }) @Trim() @IsOptional() @IsString() @MaxLength(2000) @Matches(HTTP_URL, { message: URL_MESSAGE }) url?: string;
}

export class ListWebhookEndpointsQuery extends PageQueryDto {}

/** A webhook endpoint; its signing secrets are never shown again after they are made. */
export class WebhookEndpointView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true, description: 'the owner, for a personal endpoint' }) ownerUserId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'east', description: 'the team, for a team endpoint' }) ownerTeam: string | null;
  @ApiProperty({ example: 'https://hooks.example.com/crm' }) url: string;
  @ApiProperty({ enum: WEBHOOK_FORMATS }) format: string;
  @ApiProperty({ type: String, nullable: true, example: '华东销售群机器人' }) description: string | null;
  @ApiProperty({ type: [String], enum: NOTIFICATION_TYPE_NAMES, description: 'empty: all' }) types: string[];
  @ApiProperty({ description: 'false after too many failed deliveries, until re-enabled' }) enabled: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabledAt: string | null;
  @ApiProperty({ type: String, nullable: true }) disabledReason: string | null;
  @ApiProperty({ type: 'integer' }) consecutiveFailures: number;
  @ApiProperty() createdBy: string;
  @ApiProperty({ type: 'integer', description: 'Send it back as If-Match ("<version>") to edit' }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'until when rotated-out secrets still sign' }) previousSecretsExpireAt:
    string | null;
}

/** An endpoint with its new signing secret, shown in this answer only. */
export class WebhookEndpointWithSecretView extends WebhookEndpointView {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'keep it: it is not shown again' }) secret: string;
}

/** One message to an endpoint in the delivery ledger. */
export class WebhookDeliveryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) notificationId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'order.quality_problem' }) type: string | null;
  @ApiProperty({ example: 'sent', description: 'pending, sent, dead or cancelled' }) status: string;
  @ApiProperty({ type: 'integer' }) attempts: number;
  @ApiProperty({ type: 'integer', nullable: true, description: "the receiver's last HTTP status" }) lastStatus: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ format: 'date-time' }) nextAttemptAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
