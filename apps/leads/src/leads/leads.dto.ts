import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsEmail,
  IsIn,
  IsInt,
  IsISO4217CurrencyCode,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateIf,
  type ValidationOptions,
} from 'class-validator';
import { CompanySize, FollowUpChannel, LeadSource } from '@crm/contracts';
import { PageQueryDto, SearchQuery, SortQuery } from '@crm/http';
import { DISQUALIFY_REASONS, LEAD_STATUSES } from './lead.domain';

const PHONE = /^\+?[\d\s().-]{5,40}$/;
const AMOUNT = /^\d{1,15}(\.\d{1,4})?$/;
const MAX_CUSTOM_FIELDS = 50;
/** Forms and spreadsheets pad values with spaces; they are not part of an address. */
const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** Flat string/number/boolean values only, a bounded number of them, so a form cannot store a blob. */
function IsCustomFields(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCustomFields',
      target: object.constructor,
      propertyName,
      options: {
        message: `$property must be an object of at most ${MAX_CUSTOM_FIELDS} keys (1-64 characters) with string (≤ 1000), number or boolean values`,
        ...options,
      },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return (
            entries.length <= MAX_CUSTOM_FIELDS &&
            entries.every(
              ([k, v]) =>
                k.length >= 1 &&
                k.length <= 64 &&
                (typeof v === 'number' ? Number.isFinite(v) : typeof v === 'boolean' || (typeof v === 'string' && v.length <= 1000)),
            )
          );
        },
      },
    });
}

/** What every channel submits about a lead: one set of rules for the JSON API, the web form and each CSV row. */
export class LeadInputDto {
  @ApiProperty({ example: 'Li Wei' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiPropertyOptional({ example: 'li.wei@acme.example', description: 'email or phone is required' })
  @ValidateIf((o: LeadInputDto) => o.email !== undefined || o.phone === undefined)
  @Trim()
  @IsNotEmpty({ message: 'email or phone is required' })
  @IsEmail()
  @MaxLength(254)
  email?: string;
  @ApiPropertyOptional({ example: '+86 138 0013 8000' })
  @Trim()
  @IsOptional()
  @IsString()
  @Matches(PHONE, { message: '$property must be a phone number (digits, spaces, + ( ) . -)' })
  phone?: string;
  @ApiPropertyOptional({ example: 'Acme Trading' }) @IsOptional() @IsString() @MaxLength(200) company?: string;
  @ApiPropertyOptional({ enum: CompanySize.options }) @IsOptional() @IsIn(CompanySize.options) companySize?: string;
  @ApiPropertyOptional({ example: 'east' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) region?: string;
  @ApiPropertyOptional({ example: 'pumps', description: 'product line of interest' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  productInterest?: string;
  @ApiPropertyOptional({ description: 'what the customer needs, in their words' }) @IsOptional() @IsString() @MaxLength(4000) needs?: string;
  @ApiPropertyOptional({ example: 'Canton Fair 2026', description: 'campaign or event' }) @IsOptional() @IsString() @MaxLength(200) campaign?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { budget: 'Q3' } }) @IsOptional() @IsCustomFields() customFields?: Record<
    string,
    string | number | boolean
  >;
}

export class CreateLeadDto extends LeadInputDto {
  @ApiProperty({ enum: LeadSource.options }) @IsIn(LeadSource.options) source: string;
}

/** The web form is one channel: its source is implied. */
export class WebFormLeadDto extends LeadInputDto {}

/** A CSV row: the same rules; `source` defaults to import (a trade-show batch says trade_show). */
export class ImportRowDto extends LeadInputDto {
  @IsOptional() @IsIn(LeadSource.options) source?: string;
}

export class UpdateLeadDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(254) email?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(PHONE) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) company?: string;
  @ApiPropertyOptional({ enum: CompanySize.options }) @IsOptional() @IsIn(CompanySize.options) companySize?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) region?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) productInterest?: string;
  @ApiPropertyOptional({ example: '需要 40 台 200 W 水泵，6 月底前交货' }) @IsOptional() @IsString() @MaxLength(4000) needs?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'lead quality score', example: 80 }) @IsOptional() @IsInt() @Min(0) @Max(100) score?: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) @IsOptional() @IsCustomFields() customFields?: Record<string, string | number | boolean>;
}

export class QualifyDto {
  @ApiPropertyOptional({ maxLength: 2000, example: '预算已确认，Q3 采购' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class DisqualifyDto {
  @ApiProperty({ enum: DISQUALIFY_REASONS, description: 'wrong_territory and wrong_product_line move the lead to another rep instead of closing it' })
  @IsIn(DISQUALIFY_REASONS)
  reason: (typeof DISQUALIFY_REASONS)[number];
  @ApiPropertyOptional({ maxLength: 400 }) @IsOptional() @IsString() @MaxLength(400) note?: string;
}

export class ReassignDto {
  @ApiPropertyOptional({ description: 'the new owner; omitted: the rules pick another eligible rep', example: '7d2f1c9e-5b3a-4e8f-9c1d-2a6b8e0f4c31' })
  @IsOptional()
  @IsUUID()
  repId?: string;
  @ApiPropertyOptional({ maxLength: 400, example: 'Customer asked for a Mandarin-speaking rep' }) @IsOptional() @IsString() @MaxLength(400) note?: string;
}

export class ConvertDto {
  @ApiPropertyOptional({ example: '12000.00' })
  @IsOptional()
  @IsString()
  @Matches(AMOUNT, { message: '$property must be a decimal string with at most 4 fraction digits' })
  expectedAmount?: string;
  @ApiPropertyOptional({ example: 'USD', description: 'required with expectedAmount' })
  @ValidateIf((o: ConvertDto) => o.expectedAmount !== undefined || o.currency !== undefined)
  @IsISO4217CurrencyCode()
  currency?: string;
  @ApiPropertyOptional({ example: '2026-12-31' }) @IsOptional() @IsDateString({ strict: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/) expectedCloseDate?: string;
  @ApiPropertyOptional({ type: [String], example: ['pump 200 W × 40'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  productNeeds?: string[];
}

export class FollowUpDto {
  @ApiPropertyOptional({ description: 'when it happened (default: now)' }) @IsOptional() @IsDateString({ strict: true }) at?: string;
  @ApiProperty({ enum: FollowUpChannel.options }) @IsIn(FollowUpChannel.options) channel: string;
  @ApiProperty({ maxLength: 4000, example: 'Called about the 200 W pumps; wants a quote for 40 units' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  content: string;
  @ApiPropertyOptional({ maxLength: 4000, example: '价格可以接受，交期要快' }) @IsOptional() @IsString() @MaxLength(4000) customerFeedback?: string;
  @ApiPropertyOptional({ maxLength: 500, example: 'Send the quote' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(500) nextAction?: string;
  @ApiPropertyOptional({ description: 'due date of the next action', example: '2026-05-08T09:00:00+08:00' })
  @ValidateIf((o: FollowUpDto) => o.nextActionDueAt !== undefined)
  @IsDateString({ strict: true })
  nextActionDueAt?: string;
}

/** The columns the lead list sorts by (`sort=contactName`, `sort=-score`); lead-reads.repository.ts maps each to its column. */
export const LEAD_SORT_KEYS = ['createdAt', 'updatedAt', 'contactName', 'company', 'score'] as const;
const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListLeadsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: LEAD_STATUSES }) @IsOptional() @IsIn(LEAD_STATUSES) status?: (typeof LEAD_STATUSES)[number];
  @ApiPropertyOptional({ description: 'owner rep id' }) @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) team?: string;
  @ApiPropertyOptional({ enum: LeadSource.options }) @IsOptional() @IsIn(LeadSource.options) source?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) region?: string;
  @ApiPropertyOptional({ description: 'created at or after' }) @IsOptional() @IsDateString() from?: string;
  @ApiPropertyOptional({ description: 'created before' }) @IsOptional() @IsDateString() to?: string;
  @ApiPropertyOptional({ description: 'true: first follow-up deadline passed without a follow-up' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  overdue?: boolean;
  @SearchQuery('fragment of the contact name, company, email or phone') q?: string;
  @SortQuery(LEAD_SORT_KEYS, '-createdAt', 'one column, a leading `-` sorts descending; leads without a company or score sort first ascending')
  sort?: string;
}

export class OverdueQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'the rep whose next actions are late (a rep sees only their own)' }) @IsOptional() @IsUUID() repId?: string;
}

export class ImportRowErrorView {
  @ApiProperty({ description: "the column, or '' for a problem with the whole row or file" }) field: string;
  @ApiProperty() message: string;
}

export class ImportRejectedRowView {
  @ApiProperty({ type: 'integer', description: 'line of the file (the header is line 1)' }) line: number;
  @ApiProperty({ type: [ImportRowErrorView] }) errors: ImportRowErrorView[];
}

/** The outcome of a CSV import: good rows are captured, bad ones reported (the file is not all-or-nothing). */
export class ImportResultView {
  @ApiProperty({ type: 'integer', description: 'rows captured as new leads' }) imported: number;
  @ApiProperty({ type: 'integer', description: 'rows merged into an open lead of the same person' }) merged: number;
  @ApiProperty({ type: [ImportRejectedRowView] }) rejected: ImportRejectedRowView[];
}

export class FollowUpView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) leadId: string;
  @ApiProperty({ format: 'uuid' }) repId: string;
  @ApiProperty({ type: String, nullable: true }) team: string | null;
  @ApiProperty() channel: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() content: string;
  @ApiProperty({ type: String, nullable: true }) customerFeedback: string | null;
  @ApiProperty({ type: String, nullable: true }) nextAction: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextActionDueAt: string | null;
  @ApiProperty({ description: 'who recorded it (JWT sub)' }) by: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class FollowUpListView {
  @ApiProperty({ type: [FollowUpView], description: 'oldest first' }) items: FollowUpView[];
}
