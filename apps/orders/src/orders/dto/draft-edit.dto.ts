import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
import { ORDER_STATUSES, AddressDto, CustomerDto, OrderLineDto, PAYMENT_TERMS } from './order.dto';

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

/** An example for the API document: fix the lines and the payment terms, move the promised date. */
export const DRAFT_EDIT_EXAMPLE = {
  lines: [
    { sku: 'PUMP-200', productName: 'Centrifugal pump 200 W', quantity: 5, unitPrice: '199.90', discount: '25.00' },
    { sku: 'VALVE-10', productName: 'Valve 10 mm', quantity: 2, unitPrice: '12.50' },
  ],
  paymentTerms: 'NET45',
  shippingAddress: { line1: '88 Jianguo Road', city: 'Beijing', region: 'Chaoyang', postalCode: '100022', country: 'CN' },
  promisedDeliveryDate: '2027-03-31',
  note: 'customer asked for 5 pumps instead of 3',
};

export class DraftOrderLineView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ type: 'integer' }) position: number;
  @ApiProperty({ example: 'PUMP-200' }) sku: string;
  @ApiProperty() productName: string;
  @ApiProperty({ type: 'integer' }) quantity: number;
  @ApiProperty({ example: '199.90', description: 'decimal string, order currency' }) unitPrice: string;
  @ApiProperty({ example: '25.00' }) discount: string;
  @ApiProperty({ example: '974.50', description: 'quantity × unit price − discount' }) lineTotal: string;
}

export class DraftOrderStatusView {
  @ApiProperty({ example: '42' }) id: string;
  @ApiProperty({ type: String, enum: ORDER_STATUSES, nullable: true }) fromStatus: string | null;
  @ApiProperty({ enum: ORDER_STATUSES }) toStatus: string;
  @ApiProperty() by: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class OrderEditView {
  @ApiProperty({ example: '7' }) id: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ type: 'integer', description: 'the version (ETag) the edit made' }) version: number;
  @ApiProperty({ enum: ['lines', 'currency', 'paymentTerms', 'billingAddress', 'shippingAddress', 'promisedDeliveryDate'], isArray: true }) changed: string[];
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ description: 'who edited (user id)' }) by: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

/** A draft after its edit: the order as `GET /api/v1/orders/{id}` shows it. */
export class DraftOrderView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ORDER_STATUSES, example: 'draft' }) status: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) opportunityId: string | null;
  @ApiProperty({ format: 'uuid' }) repId: string;
  @ApiProperty({ type: String, nullable: true }) team: string | null;
  @ApiProperty({ type: CustomerDto }) customer: CustomerDto;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) accountId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) contactId: string | null;
  @ApiProperty({ type: AddressDto, nullable: true }) billingAddress: AddressDto | null;
  @ApiProperty({ type: AddressDto, nullable: true }) shippingAddress: AddressDto | null;
  @ApiProperty({ type: String, nullable: true }) region: string | null;
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ example: '999.50', description: 'the sum of the line totals, decimal string' }) total: string;
  @ApiProperty({ example: 'NET45' }) paymentTerms: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) promisedDeliveryDate: string | null;
  @ApiProperty() autoConfirmed: boolean;
  @ApiProperty({ example: 'unpaid' }) paymentStatus: string;
  @ApiProperty({ type: String, nullable: true }) outstanding: string | null;
  @ApiProperty({ type: String, nullable: true }) holdReason: string | null;
  @ApiProperty({ type: String, nullable: true }) holdKind: string | null;
  @ApiProperty({ type: Object, nullable: true }) erpRefusal: object | null;
  @ApiProperty({ type: 'integer', nullable: true }) productionPercent: number | null;
  @ApiProperty({ type: String, nullable: true }) carrier: string | null;
  @ApiProperty({ type: String, nullable: true }) trackingNumber: string | null;
  @ApiProperty({ type: String, nullable: true }) cancelReason: string | null;
  @ApiProperty() createdBy: string;
  @ApiProperty({ type: 'integer', description: 'the ETag' }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: [DraftOrderLineView] }) lines: DraftOrderLineView[];
  @ApiProperty({ type: [DraftOrderStatusView] }) history: DraftOrderStatusView[];
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'tracking reports (none while a draft)' }) tracking: object[];
  @ApiProperty({ type: [OrderEditView], description: 'edits made while it was a draft, oldest first' }) edits: OrderEditView[];
}
