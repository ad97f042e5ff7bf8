import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto, Role } from '@crm/http';
import { LOCALES, type Locale } from '../catalogue/catalogue';
import { CLOCK_TIME, SLUG } from '../common/dto';

/** User ids are the tokens' `sub`: a rep's uuid, or another directory's id. */
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9_.@:-]{0,127}$/;
const userIdMessage = (f: string) => `${f} must be 1-128 letters, digits, _ . @ : or -`;
/** Present and null clears the value; left out means "none" for a new entry and "unchanged" for a rep's. */
const Nullable = () => ValidateIf((_o: object, v: unknown) => v !== undefined && v !== null);

export class QuietHoursDto {
  @ApiProperty({ example: '22:00', pattern: CLOCK_TIME.source }) @Matches(CLOCK_TIME, { message: 'start must be HH:mm' }) start: string;
  @ApiProperty({ example: '07:30', pattern: CLOCK_TIME.source }) @Matches(CLOCK_TIME, { message: 'end must be HH:mm' }) end: string;
}

export class PutNotificationSettingsDto {
  @ApiProperty({ enum: LOCALES }) @IsIn(LOCALES) locale: Locale;

  @ApiProperty({ example: 'Asia/Shanghai', description: 'an IANA time zone: times in messages, quiet hours and the digest are in it' })
  @IsString()
  @MaxLength(64)
  timeZone: string;

  @ApiProperty({ type: QuietHoursDto, nullable: true, description: 'no email or webhook in this window (may span midnight); null: none' })
  @Nullable()
  @ValidateNested()
  @Type(() => QuietHoursDto)
  quietHours: QuietHoursDto | null;

  @ApiProperty({ type: String, nullable: true, example: '08:30', pattern: CLOCK_TIME.source, description: 'when the daily digest goes out; null: none' })
  @Nullable()
  @Matches(CLOCK_TIME, { message: 'digestAt must be HH:mm' })
  digestAt: string | null;

  @ApiPropertyOptional({ description: 'where email goes instead of the directory address; left out keeps the current one' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;
}

export class UserIdParam {
  @ApiProperty({ pattern: USER_ID.source }) @Matches(USER_ID, { message: userIdMessage('userId') }) userId: string;
}

export class PutRecipientDto {
  @ApiProperty({ example: 'Wang Fang' }) @IsString() @MinLength(1) @MaxLength(200) name: string;

  @ApiPropertyOptional({ type: String, nullable: true }) @Nullable() @IsEmail() @MaxLength(320) email?: string | null;

  @ApiProperty({ enum: Role, isArray: true })
  @IsArray()
  @ArrayMaxSize(Object.values(Role).length)
  @ArrayUnique()
  @IsEnum(Role, { each: true })
  roles: Role[];

  @ApiPropertyOptional({ type: String, nullable: true, pattern: SLUG.source })
  @Nullable()
  @Matches(SLUG, { message: 'team must be 1-64 letters, digits, _ . or -' })
  team?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true }) @Nullable() @Matches(USER_ID, { message: userIdMessage('managerId') }) managerId?: string | null;

  @ApiProperty({ enum: LOCALES }) @IsIn(LOCALES) locale: Locale;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Asia/Shanghai' }) @Nullable() @IsString() @MaxLength(64) timeZone?: string | null;

  @ApiProperty({ example: true }) @IsBoolean() active: boolean;
}

export class ListRecipientsQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: "admins: one team's entries (a manager always sees their own team)" })
  @IsOptional()
  @Matches(SLUG, { message: 'team must be 1-64 letters, digits, _ . or -' })
  team?: string;
}

/** An entry of the directory of who can be notified. */
export class RecipientView {
  @ApiProperty({ example: '7d2f1c9e-5b3a-4e8f-9c1d-2a6b8e0f4c31' }) userId: string;
  @ApiProperty({ type: String, nullable: true, example: '王芳' }) name: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'wang.fang@crm.example' }) email: string | null;
  @ApiProperty({ enum: Role, isArray: true }) roles: string[];
  @ApiProperty({ type: String, nullable: true, example: 'east' }) team: string | null;
  @ApiProperty({ type: String, nullable: true }) managerId: string | null;
  @ApiProperty({ enum: LOCALES }) locale: string;
  @ApiProperty({ type: String, nullable: true, example: 'Asia/Shanghai' }) timeZone: string | null;
  @ApiProperty({ type: QuietHoursDto, nullable: true }) quietHours: QuietHoursDto | null;
  @ApiProperty({ type: String, nullable: true, example: '08:30' }) digestAt: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ enum: ['rep', 'admin', 'self'], description: 'rep: from the reps directory; admin: added here; self: only own settings' }) source: string;
  @ApiProperty({ type: 'integer', description: 'Send it back as If-Match ("<version>") to replace' }) version: number;
}

/** The caller's delivery settings; without any saved yet, the defaults (no source, no version). */
export class NotificationSettingsView {
  @ApiProperty() userId: string;
  @ApiProperty({ enum: LOCALES }) locale: string;
  @ApiProperty({ type: String, nullable: true, example: 'Asia/Shanghai' }) timeZone: string | null;
  @ApiProperty({ type: QuietHoursDto, nullable: true }) quietHours: QuietHoursDto | null;
  @ApiProperty({ type: String, nullable: true, example: '08:30' }) digestAt: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiPropertyOptional({ enum: ['rep', 'admin', 'self'] }) source?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'Send it back as If-Match ("<version>") to change them; none: first save without If-Match' })
  version?: number;
}
