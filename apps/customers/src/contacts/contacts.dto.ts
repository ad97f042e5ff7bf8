import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQueryDto, SearchQuery } from '@crm/http';
import { CHANNELS } from './contact.domain';

const PHONE = /^\+?[\d\s().-]{5,40}$/;
const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
const TrimEach = () => Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value));

export class ContactFieldsDto {
  @ApiPropertyOptional({ example: 'Purchasing manager' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) title?: string;
  @ApiPropertyOptional({ type: [String], example: ['li.wei@acme.example'] })
  @IsOptional()
  @TrimEach()
  @IsArray()
  @ArrayMaxSize(10)
  @IsEmail({}, { each: true })
  @MaxLength(254, { each: true })
  emails?: string[];
  @ApiPropertyOptional({ type: [String], example: ['+86 138 0013 8000'] })
  @IsOptional()
  @TrimEach()
  @IsArray()
  @ArrayMaxSize(10)
  @Matches(PHONE, { each: true, message: 'each value in $property must be a phone number (digits, spaces, + ( ) . -)' })
  phones?: string[];
  @ApiPropertyOptional({ enum: CHANNELS }) @IsOptional() @IsIn(CHANNELS) preferredChannel?: string;
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'the accounts the person belongs to now; on an edit, replaces the current ones' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  accountIds?: string[];
  @ApiPropertyOptional({ format: 'uuid', description: 'owner rep; a rep may only name themselves' }) @IsOptional() @IsUUID() ownerRepId?: string;
  @ApiPropertyOptional({ description: 'owner team; a manager may only name their own' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) team?: string;
  @ApiPropertyOptional({ description: 'save although a "warn" duplicate rule matched (a "block" rule still refuses)' })
  @IsOptional()
  @IsBoolean()
  allowDuplicate?: boolean;
}

export class CreateContactDto extends ContactFieldsDto {
  @ApiProperty({ example: '李伟' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(200) name: string;
}

export class UpdateContactDto extends ContactFieldsDto {
  @ApiPropertyOptional() @Trim() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
}

export class ListContactsQuery extends PageQueryDto {
  @SearchQuery('fragment of the name, company (Latin or Chinese), email or phone')
  q?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'current members of this account' }) @IsOptional() @IsUUID() accountId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) team?: string;
}

/** A contact, as lists answer it. */
export class ContactView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '李伟' }) name: string;
  @ApiProperty({ type: String, nullable: true, example: '采购经理' }) title: string | null;
  @ApiProperty({ type: [String], example: ['li.wei@acme.example'] }) emails: string[];
  @ApiProperty({ type: [String], example: ['+86 138 0013 8000'] }) phones: string[];
  @ApiProperty({ type: String, nullable: true, enum: CHANNELS }) preferredChannel: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) ownerRepId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'north' }) team: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the contact it was merged into (follow it)' }) mergedInto: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) mergedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when the person\'s data was erased (their fields read "[erased]")' })
  erasedAt: string | null;
  @ApiProperty() createdBy: string;
  @ApiProperty({ type: 'integer', description: 'Send it back as If-Match ("<version>") to edit or merge this version' }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

/** One membership of the person in an account; `until` is set when it ended. */
export class MembershipView {
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ example: '北京华为科技有限公司' }) accountName: string;
  @ApiProperty({ format: 'date-time' }) since: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) until: string | null;
}

export class ContactDetailView extends ContactView {
  @ApiProperty({ type: [MembershipView], description: 'newest first' }) memberships: MembershipView[];
}
