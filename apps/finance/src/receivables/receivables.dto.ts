import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateBy } from 'class-validator';
import { PageQueryDto } from '@crm/http';
import { isPositiveAmount } from '@crm/money';
import { RECEIVABLE_STATUSES, type ReceivableStatus } from './receivables.domain';

const UNSIGNED_AMOUNT = /^\d{1,15}(\.\d{1,4})?$/;
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

const IsPositiveAmount = (): PropertyDecorator =>
  ValidateBy({
    name: 'isPositiveAmount',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && UNSIGNED_AMOUNT.test(value) && isPositiveAmount(value),
      defaultMessage: () => '$property must be greater than 0',
    },
  });

export class RecordPaymentDto {
  @ApiProperty({
    example: '250.00',
    pattern: UNSIGNED_AMOUNT.source,
    description: 'Decimal string > 0, at most 4 fraction digits, at most the outstanding amount',
  })
  @IsString()
  @Matches(UNSIGNED_AMOUNT, { message: 'amount must be a decimal string with at most 4 fraction digits' })
  @IsPositiveAmount()
  amount: string;

  @ApiProperty({ example: 'EUR', description: "ISO 4217 code; must be the receivable's currency" })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency: string;

  @ApiPropertyOptional({ example: 'bank_transfer', maxLength: 40 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  method?: string;

  @ApiPropertyOptional({ example: 'BANK-2026-00042', maxLength: 100, description: 'Bank or remittance reference; unique per receivable' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  reference?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the money arrived; defaults to now, never in the future' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  receivedAt?: string;
}

export class ListReceivablesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: RECEIVABLE_STATUSES })
  @IsOptional()
  @IsIn(RECEIVABLE_STATUSES)
  status?: ReceivableStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  orderId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Only the receivables of this account (the customers service's id)" })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: past due (after the due day in the business time zone) with money outstanding; false: the others',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({ format: 'date', description: 'Only receivables due before this date (exclusive)' })
  @IsOptional()
  @Matches(CALENDAR_DATE, { message: 'dueBefore must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  dueBefore?: string;
}

export class PaymentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) receivableId: string;
  @ApiProperty({ example: '250.00' }) amount: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ nullable: true, type: String }) method: string | null;
  @ApiProperty({ nullable: true, type: String }) reference: string | null;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
  @ApiProperty() createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CreditNoteView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) receivableId: string;
  @ApiProperty({ example: '120.00' }) amount: string;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ReceivableView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ format: 'uuid' }) repId: string;
  @ApiProperty({ nullable: true, type: String }) team: string | null;
  @ApiProperty() customerName: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The account in the customers service (re-pointed by a merge)' })
  accountId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The contact in the customers service (re-pointed by a merge)' })
  contactId: string | null;
  @ApiProperty({ example: '255.17' }) amount: string;
  @ApiProperty({ example: '100.00' }) paid: string;
  @ApiProperty({ example: '155.17' }) outstanding: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ example: 'NET30' }) paymentTerms: string;
  @ApiProperty({ format: 'date', description: 'A day of the business time zone (CRM_TIMEZONE, default UTC), from the payment terms' }) dueDate: string;
  @ApiProperty({ enum: RECEIVABLE_STATUSES }) status: ReceivableStatus;
  @ApiProperty({ description: 'Past due with money outstanding' }) overdue: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) overdueAlertedAt: string | null;
  @ApiProperty({ description: 'Entity version (also the ETag)' }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ReceivableDetailView extends ReceivableView {
  @ApiProperty({ type: [PaymentView] }) payments: PaymentView[];
  @ApiProperty({ type: [CreditNoteView] }) creditNotes: CreditNoteView[];
}

export class RecordedPaymentView {
  @ApiProperty({ type: PaymentView }) payment: PaymentView;
  @ApiProperty({ type: ReceivableView }) receivable: ReceivableView;
}
