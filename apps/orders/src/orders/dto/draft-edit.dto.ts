import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsISO4217CurrencyCode,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AddressDto, OrderLineDto, PAYMENT_TERMS } from './order.dto';

/** Validated when sent, `null` included: these parts cannot be removed, only replaced. */
const IfSent = () => ValidateIf((_o: unknown, value: unknown) => value !== undefined);

/**
 * A draft's edit (PATCH): each part left out stays as it is. `lines` replaces every line; `null` removes an
 * address or the promised date.
 */
export class UpdateDraftOrderDto {
  @ApiPropertyOptional({ type: [OrderLineDto], description: 'replaces every line (1 to 200); the total is recomputed' })
  @IfSent()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  lines?: OrderLineDto[];
  @ApiPropertyOptional({ example: 'EUR', description: 'the lines are priced in it: a new currency needs `lines` in the same request' })
  @IfSent()
  @IsISO4217CurrencyCode()
  currency?: string;
  @ApiPropertyOptional({ example: 'NET45' })
  @IfSent()
  @IsString()
  @Matches(PAYMENT_TERMS, { message: '$property must be NET<days> (e.g. NET30), DUE_ON_RECEIPT or EOM' })
  paymentTerms?: string;
  @ApiPropertyOptional({ type: AddressDto, nullable: true, description: 'null removes it' })
  @IsOptional()
  @IsObject() // ValidateNested lets an array through
  @ValidateNested()
  @Type(() => AddressDto)
  billingAddress?: AddressDto | null;
  @ApiPropertyOptional({ type: AddressDto, nullable: true, description: 'null removes it' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AddressDto)
  shippingAddress?: AddressDto | null;
  @ApiPropertyOptional({
    type: String,
    format: 'date',
    nullable: true,
    example: '2027-03-31',
    description: 'a day of the business time zone (CRM_TIMEZONE), today or later; null removes it',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date YYYY-MM-DD' })
  promisedDeliveryDate?: string | null;
  @ApiPropertyOptional({ maxLength: 2000, example: 'customer asked for 5 pumps instead of 3', description: 'why, kept with the edit' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}
