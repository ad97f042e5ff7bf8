import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO4217CurrencyCode,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MAX_HISTORY_RECORDS, OrderStatus } from '@crm/contracts';
import { CustomerDto, OrderLineDto } from '../orders/dto/order.dto';

const When = () => IsISO8601({ strict: true, strictSeparator: true });
const STATUSES = OrderStatus.options.filter((s) => s !== 'draft');

export class StatusChangeHistoryDto {
  @ApiProperty({ enum: STATUSES, description: 'the status it moved to (the workflow decides what may follow what)' }) @IsIn(STATUSES) status: string;
  @ApiProperty({ example: '2025-03-15T10:00:00Z' }) @When() at: string;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

/** One order as the previous system knew it: drafted, then each status it went through, with when. */
export class OrderHistoryDto {
  @ApiProperty({ example: 'old-erp-so-5521', description: 'its id in the previous system: importing it again changes nothing' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  externalId: string;
  @ApiPropertyOptional({ description: 'externalId of the imported opportunity it came from' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  opportunityExternalId?: string;
  @ApiProperty({ type: CustomerDto }) @IsDefined() @ValidateNested() @Type(() => CustomerDto) customer: CustomerDto;
  @ApiProperty({ description: 'owner rep', example: '7d2f1c9e-5b3a-4e8f-9c1d-2a6b8e0f4c31' }) @IsUUID() repId: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) team?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) region?: string;
  @ApiProperty({ example: 'USD' }) @IsISO4217CurrencyCode() currency: string;
  @ApiProperty({ type: [OrderLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  lines: OrderLineDto[];
  @ApiPropertyOptional({ example: 'NET30', default: 'NET30' })
  @IsOptional()
  @Matches(/^(NET(0|[1-9]\d{0,2})|DUE_ON_RECEIPT|EOM)$/, { message: '$property must be NET<days>, DUE_ON_RECEIPT or EOM' })
  paymentTerms?: string;
  @ApiPropertyOptional({ example: '2025-04-30' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date (YYYY-MM-DD)' })
  promisedDeliveryDate?: string;
  @ApiProperty({ example: '2025-03-14T10:00:00Z', description: 'when it was drafted' }) @When() createdAt: string;
  @ApiPropertyOptional({ type: [StatusChangeHistoryDto], description: 'the statuses it went through after the draft, oldest first' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => StatusChangeHistoryDto)
  statusChanges?: StatusChangeHistoryDto[];
  @ApiPropertyOptional({ enum: ['unpaid', 'partially_paid', 'paid'], description: 'defaults to paid for a completed order, else unpaid' })
  @IsOptional()
  @IsIn(['unpaid', 'partially_paid', 'paid'])
  paymentStatus?: 'unpaid' | 'partially_paid' | 'paid';
  @ApiPropertyOptional({ description: 'required once shipped' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) carrier?: string;
  @ApiPropertyOptional({ description: 'required once shipped' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) trackingNumber?: string;
  @ApiPropertyOptional({ description: 'required when cancelled' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(500) cancelReason?: string;
}

export class OrderHistoryImportDto {
  @ApiProperty({ type: [OrderHistoryDto], minItems: 1, maxItems: MAX_HISTORY_RECORDS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_HISTORY_RECORDS)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OrderHistoryDto)
  orders: OrderHistoryDto[];
}
