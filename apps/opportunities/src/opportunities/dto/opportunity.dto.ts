import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsEmail,
  IsIn,
  IsInt,
  IsISO4217CurrencyCode,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { MaxDecimalPlaces, PageQueryDto, SearchQuery, SortQuery } from '@crm/http';
import { KEY_PATTERN } from '../../pipeline/pipeline.dto';

export const AMOUNT_PATTERN = /^\d{1,15}(\.\d{1,4})?$/;
const AMOUNT_MESSAGE = '$property must be a decimal string with at most 4 fraction digits, e.g. "19.99"';
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const PAYMENT_TERMS = /^(NET(0|[1-9]\d{0,2})|DUE_ON_RECEIPT|EOM)$/;
export const COMPANY_SIZES = ['micro', 'small', 'medium', 'large', 'enterprise'] as const;

export class CustomerDto {
  @ApiProperty({ example: 'Li Wei' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiPropertyOptional({ example: 'Acme Trading' }) @IsOptional() @IsString() @MaxLength(200) company?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(254) email?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) phone?: string;
}

export class LineDto {
  @ApiProperty({ example: 'PUMP-200' }) @IsString() @IsNotEmpty() @MaxLength(64) sku: string;
  @ApiProperty({ example: 'Centrifugal pump 200 W' }) @IsString() @IsNotEmpty() @MaxLength(200) productName: string;
  @ApiProperty({ minimum: 1, maximum: 1_000_000, example: 40 }) @IsInt() @Min(1) @Max(1_000_000) quantity: number;
  @ApiProperty({ example: '199.90' }) @IsString() @Matches(AMOUNT_PATTERN, { message: AMOUNT_MESSAGE }) unitPrice: string;
  @ApiPropertyOptional({ example: '10.00', description: 'amount off the whole line', default: '0' })
  @IsOptional()
  @IsString()
  @Matches(AMOUNT_PATTERN, { message: AMOUNT_MESSAGE })
  discount?: string;
}

export class CreateOpportunityDto {
  @ApiProperty({ type: CustomerDto }) @IsDefined() @ValidateNested() @Type(() => CustomerDto) customer: CustomerDto;
  @ApiPropertyOptional({ description: 'owner rep; defaults to the caller (a rep may only name themself)' }) @IsOptional() @IsUUID() repId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'the account (company) in the customers service' }) @IsOptional() @IsUUID() accountId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'the contact (person) in the customers service' }) @IsOptional() @IsUUID() contactId?: string;
  @ApiPropertyOptional({ description: 'team of the owner (admin only; others get their own team)' }) @IsOptional() @IsString() @MaxLength(64) team?: string;
  @ApiPropertyOptional({ example: 'east' }) @IsOptional() @IsString() @MaxLength(64) region?: string;
  @ApiPropertyOptional({ example: 'pumps' }) @IsOptional() @IsString() @MaxLength(64) productLine?: string;
  @ApiPropertyOptional({ enum: COMPANY_SIZES }) @IsOptional() @IsIn(COMPANY_SIZES) companySize?: (typeof COMPANY_SIZES)[number];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  productNeeds?: string[];
  @ApiPropertyOptional({ example: '25000.00', description: 'defaults to the sum of the lines' })
  @IsOptional()
  @IsString()
  @Matches(AMOUNT_PATTERN, { message: AMOUNT_MESSAGE })
  expectedAmount?: string;
  @ApiProperty({ example: 'USD' }) @IsISO4217CurrencyCode() currency: string;
  @ApiProperty({ example: '2026-06-30' }) @IsDateString({ strict: true }) @Matches(DATE_PATTERN) expectedCloseDate: string;
  @ApiPropertyOptional({ type: [LineDto] }) @IsOptional() @ValidateNested({ each: true }) @Type(() => LineDto) @ArrayMaxSize(200) lines?: LineDto[];
  @ApiPropertyOptional({ description: 'pipeline to follow; default pipeline when omitted' }) @IsOptional() @IsUUID() pipelineId?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'custom fields checked by exit criteria',
    example: { needsReport: 'https://docs.example/needs-report.pdf' },
  })
  @IsOptional()
  @IsObject()
  fields?: Record<string, string>;
}

export class UpdateOpportunityDto {
  @ApiPropertyOptional({ example: '25000.00' }) @IsOptional() @IsString() @Matches(AMOUNT_PATTERN, { message: AMOUNT_MESSAGE }) expectedAmount?: string;
  @ApiPropertyOptional({ example: '2026-06-30' }) @IsOptional() @IsDateString({ strict: true }) @Matches(DATE_PATTERN) expectedCloseDate?: string;
  @ApiPropertyOptional({ enum: COMPANY_SIZES }) @IsOptional() @IsIn(COMPANY_SIZES) companySize?: (typeof COMPANY_SIZES)[number];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) productLine?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) region?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
    description: 'custom fields checked by exit criteria, e.g. {"needsReport": "https://docs/needs.pdf"}; null removes one',
    example: { needsReport: 'https://docs.example/needs-report.pdf' },
  })
  @IsOptional()
  @IsObject()
  fields?: Record<string, string | null>;
  @ApiPropertyOptional({ type: [LineDto], description: 'replaces the product lines' })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => LineDto)
  @ArrayMaxSize(200)
  lines?: LineDto[];
}

export class MoveStageDto {
  @ApiProperty({ example: 'proposal' }) @Matches(KEY_PATTERN) toStage: string;
}

export class TaskDto {
  @ApiProperty({ example: 'discovery_call', description: 'stable key exit criteria refer to' }) @Matches(KEY_PATTERN) key: string;
  @ApiProperty({ example: 'Discovery call with the buyer' }) @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @ApiPropertyOptional() @IsOptional() @IsDateString() dueAt?: string;
}

export class WinDto {
  @ApiPropertyOptional({ type: [LineDto], description: 'the lines sold; required when the opportunity has none' })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => LineDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  lines?: LineDto[];
  @ApiPropertyOptional({ example: 'NET30' })
  @IsOptional()
  @Matches(PAYMENT_TERMS, { message: '$property must be NET<days> (e.g. NET30), DUE_ON_RECEIPT or EOM' })
  paymentTerms?: string;
  @ApiPropertyOptional({ example: '2026-07-15' }) @IsOptional() @IsDateString({ strict: true }) @Matches(DATE_PATTERN) promisedDeliveryDate?: string;
}

export class LoseDto {
  @ApiProperty({ example: 'price too high' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
  @ApiPropertyOptional({ example: 'Globex' }) @IsOptional() @IsString() @MaxLength(200) competitor?: string;
}

/** The columns the opportunity list sorts by; opportunity.repository.ts maps each to its column. */
export const OPPORTUNITY_SORT_KEYS = ['score', 'expectedCloseDate', 'expectedAmount', 'createdAt', 'updatedAt'] as const;

export class ListOpportunitiesQuery extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(KEY_PATTERN) stage?: string;
  @ApiPropertyOptional({ enum: ['open', 'won', 'lost'] }) @IsOptional() @IsIn(['open', 'won', 'lost']) status?: 'open' | 'won' | 'lost';
  @ApiPropertyOptional({ description: 'owner rep' }) @IsOptional() @IsUUID() repId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) team?: string;
  @ApiPropertyOptional({ example: 'USD' }) @IsOptional() @IsISO4217CurrencyCode() currency?: string;
  @ApiPropertyOptional({ example: '1000' }) @IsOptional() @Matches(AMOUNT_PATTERN, { message: AMOUNT_MESSAGE }) minAmount?: string;
  @ApiPropertyOptional({ example: '50000' }) @IsOptional() @Matches(AMOUNT_PATTERN, { message: AMOUNT_MESSAGE }) maxAmount?: string;
  @ApiPropertyOptional({ example: '2026-01-01', description: 'expected close date on or after' })
  @IsOptional()
  @IsDateString({ strict: true })
  @Matches(DATE_PATTERN)
  closeFrom?: string;
  @ApiPropertyOptional({ example: '2026-12-31', description: 'expected close date on or before' })
  @IsOptional()
  @IsDateString({ strict: true })
  @Matches(DATE_PATTERN)
  closeTo?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 100 }) @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(100) minScore?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 100 }) @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(100) maxScore?: number;
  @SearchQuery('fragment of the customer (person, company, email, phone), product line or competitor') q?: string;
  @SortQuery(OPPORTUNITY_SORT_KEYS, '-createdAt', 'one column, a leading `-` sorts descending; `-score` gives the ranked worklist')
  sort?: string;
}

export class SummaryQuery {
  @ApiPropertyOptional({ description: 'default pipeline when omitted' }) @IsOptional() @IsUUID() pipelineId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() repId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) team?: string;
}

export class StrategyDto {
  @ApiPropertyOptional({ description: 'the latest strategy record this one adjusts; omit for the first' }) @IsOptional() @IsUUID() replacesId?: string;
  @ApiPropertyOptional({ type: [String], example: ['PUMP-200', 'VALVE-10'], description: 'recommended products (SKUs or names)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  products?: string[];
  @ApiPropertyOptional({ example: 'volume price tier B' }) @IsOptional() @IsString() @MaxLength(2000) pricing?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 100, example: 7.5 }) @IsOptional() @IsNumber() @MaxDecimalPlaces(2) @Min(0) @Max(100) discountPercent?: number;
  @ApiPropertyOptional({ type: [String], example: ['free installation'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  promotions?: string[];
  @ApiProperty({ example: 'buyer compares us with Globex on price' }) @IsString() @IsNotEmpty() @MaxLength(4000) rationale: string;
}

export class StageTotalView {
  @ApiProperty() currency: string;
  @ApiProperty({ type: 'integer' }) count: number;
  @ApiProperty({ example: '125000.00', description: 'decimal string' }) amount: string;
  @ApiProperty({ example: '37500.00', description: 'amount × the stage win probability, decimal string' }) weightedAmount: string;
}

export class StageSummaryView {
  @ApiProperty() stage: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'integer' }) position: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) winProbability: number;
  @ApiProperty({ type: String, enum: ['won', 'lost'], nullable: true }) outcome: 'won' | 'lost' | null;
  @ApiProperty({ type: 'integer', description: 'opportunities in the stage, all currencies' }) count: number;
  @ApiProperty({ type: [StageTotalView], description: 'one per currency present' }) totals: StageTotalView[];
}

/** Per stage of one pipeline, in pipeline order: counts and amounts per currency, within the caller's scope. */
export class PipelineSummaryView {
  @ApiProperty({ format: 'uuid' }) pipelineId: string;
  @ApiProperty({ type: [StageSummaryView] }) stages: StageSummaryView[];
}
