import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsDateString,
  IsDefined,
  IsEmail,
  IsISO31661Alpha2,
  IsISO4217CurrencyCode,
  IsIn,
  IsInt,
  IsNotEmpty,
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
import { PageQueryDto, SearchQuery, SortQuery } from '@crm/http';
import { FEEDBACK_CATEGORIES } from '../../feedback/feedback.domain';

export const AMOUNT_PATTERN = /^\d{1,15}(\.\d{1,4})?$/;
const AMOUNT_MESSAGE = '$property must be a decimal string with at most 4 fraction digits, e.g. "19.99"';
export const PAYMENT_TERMS = /^(NET(0|[1-9]\d{0,2})|DUE_ON_RECEIPT|EOM)$/;

export class CustomerDto {
  @ApiProperty({ example: 'Li Wei' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiPropertyOptional({ example: 'Acme Trading' }) @IsOptional() @IsString() @MaxLength(200) company?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(254) email?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) phone?: string;
}

const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** A postal address; the country is an ISO 3166-1 alpha-2 code, stored in capitals as the events carry it. */
export class AddressDto {
  @ApiProperty({ example: '88 Jianguo Road' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(200) line1: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) line2?: string;
  @ApiProperty({ example: 'Beijing' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(100) city: string;
  @ApiPropertyOptional({ example: 'Chaoyang' }) @IsOptional() @IsString() @MaxLength(100) region?: string;
  @ApiPropertyOptional({ example: '100022' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9 -]{2,12}$/, { message: '$property must be a postal code' })
  postalCode?: string;
  @ApiProperty({ example: 'CN', description: 'ISO 3166-1 alpha-2' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @IsISO31661Alpha2()
  country: string;
}

export class OrderLineDto {
  @ApiProperty({ example: 'PUMP-200' }) @IsString() @IsNotEmpty() @MaxLength(64) sku: string;
  @ApiProperty({ example: 'Centrifugal pump 200 W' }) @IsString() @IsNotEmpty() @MaxLength(200) productName: string;
  @ApiProperty({ minimum: 1, maximum: 1_000_000, example: 40 }) @IsInt() @Min(1) @Max(1_000_000) quantity: number;
  @ApiProperty({ example: '199.90', description: 'decimal string, order currency' })
  @IsString()
  @Matches(AMOUNT_PATTERN, { message: AMOUNT_MESSAGE })
  unitPrice: string;
  @ApiPropertyOptional({ example: '10.00', description: 'amount off the whole line', default: '0' })
  @IsOptional()
  @IsString()
  @Matches(AMOUNT_PATTERN, { message: AMOUNT_MESSAGE })
  discount?: string;
}

export class CreateOrderDto {
  @ApiProperty({ type: CustomerDto }) @IsDefined() @ValidateNested() @Type(() => CustomerDto) customer: CustomerDto;
  @ApiPropertyOptional({ format: 'uuid', description: "the customer's account in the customers service" }) @IsOptional() @IsUUID() accountId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: "the customer's contact in the customers service" }) @IsOptional() @IsUUID() contactId?: string;
  @ApiPropertyOptional({ type: AddressDto, description: "default: the account's billing address, when the order names an account the service knows" })
  @IsOptional()
  @IsObject() // ValidateNested lets an array through (a 500 building the event)
  @ValidateNested()
  @Type(() => AddressDto)
  billingAddress?: AddressDto;
  @ApiPropertyOptional({ type: AddressDto, description: "default: the account's shipping address, when the order names an account the service knows" })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AddressDto)
  shippingAddress?: AddressDto;
  @ApiPropertyOptional({ description: 'owner rep; defaults to the caller (a rep may only name themself)' })
  @IsOptional()
  @IsUUID()
  repId?: string;
  @ApiPropertyOptional({ example: 'east' }) @IsOptional() @IsString() @MaxLength(64) region?: string;
  @ApiProperty({ example: 'USD' }) @IsISO4217CurrencyCode() currency: string;
  @ApiProperty({ type: [OrderLineDto] })
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  lines: OrderLineDto[];
  @ApiPropertyOptional({ example: 'NET30', default: 'NET30' })
  @IsOptional()
  @Matches(PAYMENT_TERMS, { message: '$property must be NET<days> (e.g. NET30), DUE_ON_RECEIPT or EOM' })
  paymentTerms?: string;
  @ApiPropertyOptional({ example: '2026-12-31' }) @IsOptional() @IsDateString({ strict: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/) promisedDeliveryDate?: string;
}

export class NoteDto {
  @ApiPropertyOptional({ maxLength: 2000, example: '折扣超出权限，请重新报价' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class CancelOrderDto {
  @ApiProperty({ maxLength: 500, example: 'customer withdrew' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

export const TRACKING_KINDS = ['production', 'shipment', 'logistics', 'delivered', 'quality_problem'] as const;

/** One tracking report; which fields are required depends on `kind` (checked by the service). */
export class TrackingDto {
  @ApiProperty({ enum: TRACKING_KINDS }) @IsIn(TRACKING_KINDS) kind: (typeof TRACKING_KINDS)[number];
  @ApiPropertyOptional({ minimum: 0, maximum: 100, example: 60, description: 'production progress (kind=production)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  percent?: number;
  @ApiPropertyOptional({ description: 'kind=shipment' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) carrier?: string;
  @ApiPropertyOptional({ description: 'kind=shipment' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) trackingNumber?: string;
  @ApiPropertyOptional({ description: 'kind=logistics' }) @IsOptional() @IsString() @MaxLength(200) location?: string;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
  @ApiPropertyOptional({ description: 'when it happened (default: now)' }) @IsOptional() @IsDateString({ strict: true }) at?: string;
}

export class FeedbackDto {
  @ApiProperty({ minimum: 1, maximum: 5, example: 4 }) @IsInt() @Min(1) @Max(5) rating: number;
  @ApiProperty({ enum: FEEDBACK_CATEGORIES }) @IsIn(FEEDBACK_CATEGORIES) category: (typeof FEEDBACK_CATEGORIES)[number];
  @ApiPropertyOptional({ maxLength: 4000, example: '交货及时，包装完好' }) @IsOptional() @IsString() @MaxLength(4000) comment?: string;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() complaint?: boolean;
}

export const ORDER_STATUSES = [
  'draft',
  'submitted',
  'confirmed',
  'on_hold',
  'allocated',
  'in_production',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
] as const;

/** The columns the order list sorts by; orders.repository.ts maps each to its column. */
export const ORDER_SORT_KEYS = ['createdAt', 'updatedAt', 'total', 'promisedDeliveryDate'] as const;

export class ListOrdersQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: ORDER_STATUSES }) @IsOptional() @IsIn(ORDER_STATUSES) status?: (typeof ORDER_STATUSES)[number];
  @ApiPropertyOptional() @IsOptional() @IsUUID() repId?: string;
  @ApiPropertyOptional({ description: 'customer name or company contains (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  customer?: string;
  @ApiPropertyOptional({ description: 'created at or after (ISO date or timestamp)' }) @IsOptional() @IsDateString() from?: string;
  @ApiPropertyOptional({ description: 'created before (ISO date or timestamp)' }) @IsOptional() @IsDateString() to?: string;
  @SearchQuery('fragment of the order number (its id), the customer (person, company, email, phone) or the tracking number') q?: string;
  @SortQuery(ORDER_SORT_KEYS, '-createdAt', 'one column, a leading `-` sorts descending; orders without a promised date sort last ascending')
  sort?: string;
}
