import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { AUDIENCES, CHANNELS, NOTIFICATION_TYPE_NAMES, RECORD_KINDS, type Audience, type Channel, type NotificationType } from '../catalogue/catalogue';
import { Omittable, SLUG } from '../common/dto';
import { knownEventTypes, RULE_ID, type MatchValue } from './rules.domain';

const MATCH_FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_MATCH_FIELDS = 20;

/** `{ field: value }` with at most 20 plain field names, each value a string (≤ 200), a finite number or a boolean. */
const IsMatch = () =>
  ValidateBy({
    name: 'isMatch',
    validator: {
      validate: (v: unknown) =>
        typeof v === 'object' &&
        v !== null &&
        !Array.isArray(v) &&
        Object.keys(v).length <= MAX_MATCH_FIELDS &&
        Object.entries(v).every(
          ([k, x]) =>
            MATCH_FIELD.test(k) && ((typeof x === 'string' && x.length <= 200) || (typeof x === 'number' && Number.isFinite(x)) || typeof x === 'boolean'),
        ),
      defaultMessage: () => `match must map up to ${MAX_MATCH_FIELDS} field names to a string, number or boolean`,
    },
  });

export class RuleIdParam {
  @ApiProperty({ example: 'quality-problem', pattern: RULE_ID.source })
  @Matches(RULE_ID, { message: 'id must be 1-64 lower-case letters, digits, - or _' })
  id: string;
}

export class PutRuleDto {
  @ApiProperty({ enum: knownEventTypes(), description: "a published event type, or one of the service's own triggers" })
  @IsIn(knownEventTypes())
  eventType: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
    example: { reason: 'quality_problem' },
    description: "equality on fields of the event's data; all must hold ({} matches every event)",
  })
  @IsObject()
  @IsMatch()
  match: Record<string, MatchValue>;

  @ApiProperty({ enum: NOTIFICATION_TYPE_NAMES }) @IsIn(NOTIFICATION_TYPE_NAMES) type: NotificationType;

  @ApiProperty({ enum: AUDIENCES, isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(AUDIENCES.length)
  @ArrayUnique()
  @IsIn(AUDIENCES, { each: true })
  audiences: Audience[];

  @ApiProperty({ enum: CHANNELS, isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(CHANNELS.length)
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true })
  channels: Channel[];

  @ApiProperty() @IsBoolean() enabled: boolean;
}

export class TypeParam {
  @ApiProperty({ enum: NOTIFICATION_TYPE_NAMES }) @IsIn(NOTIFICATION_TYPE_NAMES) type: NotificationType;
}

export class PatchTypeDto {
  @ApiPropertyOptional({ description: 'a critical type cannot be turned off by a user', example: true }) @Omittable() @IsBoolean() critical?: boolean;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: 43_200,
    description: 'minutes unacknowledged before the manager is told; null: never',
    example: 120,
  })
  @ValidateIf((_o: object, v: unknown) => v !== undefined && v !== null)
  @IsInt()
  @Min(1)
  @Max(43_200)
  escalateAfterMinutes?: number | null;
}

export class ProductLineParam {
  @ApiProperty({ example: 'pumps', pattern: SLUG.source })
  @Matches(SLUG, { message: 'productLine must be 1-64 letters, digits, _ . or -' })
  productLine: string;
}

export class PutProductRouteDto {
  @ApiProperty({ example: 'rd-pumps', pattern: SLUG.source, description: 'the team (recipients.team) that owns complaints and quality problems of the line' })
  @IsString()
  @Matches(SLUG, { message: 'team must be 1-64 letters, digits, _ . or -' })
  team: string;
}

export class NotificationRuleView {
  @ApiProperty({ example: 'quality-problem' }) id: string;
  @ApiProperty({ example: 'order.quality_problem_reported' }) eventType: string;
  @ApiProperty({ type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] } })
  match: Record<string, MatchValue>;
  @ApiProperty({ enum: NOTIFICATION_TYPE_NAMES }) type: string;
  @ApiProperty({ enum: AUDIENCES, isArray: true }) audiences: string[];
  @ApiProperty({ enum: CHANNELS, isArray: true }) channels: string[];
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: 'integer', description: 'Send it back as If-Match ("<version>") to replace or remove' }) version: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class NotificationRuleListView {
  @ApiProperty({ type: [NotificationRuleView], description: 'by event type' }) items: NotificationRuleView[];
  @ApiProperty({ type: [String], description: 'the event types a rule may name' }) eventTypes: string[];
}

export class NotificationTypeView {
  @ApiProperty({ enum: NOTIFICATION_TYPE_NAMES }) type: string;
  @ApiProperty({ description: 'a critical type cannot be turned off by a user' }) critical: boolean;
  @ApiProperty({ type: 'integer', nullable: true, description: 'minutes unacknowledged before the manager is told; null: never' })
  escalateAfterMinutes: number | null;
  @ApiProperty({ description: 'Send it back as If-Match ("<version>") to change the type' }) version: number;
  @ApiProperty({ enum: RECORD_KINDS, description: 'the kind of record it is about' }) record: string;
}

export class NotificationTypeListView {
  @ApiProperty({ type: [NotificationTypeView] }) items: NotificationTypeView[];
}

export class ProductRouteView {
  @ApiProperty({ example: 'pumps' }) productLine: string;
  @ApiProperty({ example: 'rd-pumps' }) team: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ProductRouteListView {
  @ApiProperty({ type: [ProductRouteView] }) items: ProductRouteView[];
}
