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
