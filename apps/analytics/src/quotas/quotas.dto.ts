import { ApiProperty } from '@nestjs/swagger';
import { Matches, ValidateBy } from 'class-validator';
import { isPositiveAmount } from '@crm/money';

const UNSIGNED_AMOUNT = /^\d{1,15}(\.\d{1,4})?$/;

export class PutQuotaDto {
  @ApiProperty({ example: '120000.00', description: 'Decimal string > 0, at most 4 fraction digits' })
  @Matches(UNSIGNED_AMOUNT, { message: 'amount must be a decimal string with at most 4 fraction digits' })
  @ValidateBy({
    name: 'isPositiveAmount',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && UNSIGNED_AMOUNT.test(v) && isPositiveAmount(v),
      defaultMessage: () => 'amount must be greater than 0',
    },
  })
  amount: string;

  @ApiProperty({ example: 'EUR' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency: string;
}

export class QuotaView {
  @ApiProperty({ example: '2026-Q3', description: 'A year, quarter or month of the business time zone (CRM_TIMEZONE)' }) period: string;
  @ApiProperty({
    format: 'date-time',
    example: '2026-06-30T16:00:00.000Z',
    description:
      'When the period begins: midnight of its first day in the business time zone, as a UTC instant (2026-Q3 in Asia/Shanghai: 2026-06-30T16:00:00.000Z)',
  })
  startsAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-09-30T16:00:00.000Z', description: 'When the period ends (exclusive): midnight after its last day' })
  endsAt: string;
  @ApiProperty({ format: 'uuid' }) repId: string;
  @ApiProperty({ example: '120000.00' }) amount: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty() version: number;
  @ApiProperty() updatedBy: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class QuotaListView {
  @ApiProperty({ type: [QuotaView], description: 'the quotas of the period the caller may see, by rep id' }) rows: QuotaView[];
}
