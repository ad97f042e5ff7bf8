import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { PageQueryDto } from '@crm/http';

export const RECORD_KINDS = ['lead', 'opportunity', 'order', 'receivable', 'account', 'contact'] as const;

/** `kind=a&kind=b` and `kind=a,b` alike. */
const List = () =>
  Transform(({ value }: { value: unknown }) =>
    value === undefined ? undefined : (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v])),
  );

export class TimelineQuery extends PageQueryDto {
  @ApiPropertyOptional({ type: [String], description: 'entry kinds, e.g. lead.followed_up (repeat or comma-separate)', example: ['lead.followed_up'] })
  @IsOptional()
  @List()
  @IsArray()
  @ArrayMaxSize(40)
  @Matches(/^[a-z_]+\.[a-z_]+$/, { each: true, message: 'each value in $property must be an event name such as lead.followed_up' })
  kind?: string[];

  @ApiPropertyOptional({ type: [String], enum: RECORD_KINDS, description: 'record kinds (repeat or comma-separate)' })
  @IsOptional()
  @List()
  @IsArray()
  @ArrayMaxSize(RECORD_KINDS.length)
  @IsIn(RECORD_KINDS, { each: true })
  recordKind?: string[];

  @ApiPropertyOptional({ description: 'entries at or after this moment (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'entries before this moment (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "entries of this rep's records" })
  @IsOptional()
  @IsUUID()
  repId?: string;
}

/** One thing that happened to one of the customer's records, in any service. */
export class TimelineEntryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ example: 'lead.followed_up', description: 'the event it comes from' }) kind: string;
  @ApiProperty({ enum: RECORD_KINDS }) recordKind: string;
  @ApiProperty({ format: 'uuid' }) recordId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) accountId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) contactId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) repId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'north' }) team: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'what the event said' }) detail: Record<string, unknown>;
  @ApiProperty({ example: '/api/v1/leads/0b7e8c52-3b8f-4b8e-9a57-0c1d2e3f4a5b', description: 'the record in its own service' }) link: string;
}

export class CurrencyAmountView {
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ example: '125000.00', description: 'decimal string' }) amount: string;
}

export class LastContactView {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ example: 'call' }) channel: string;
  @ApiProperty({ format: 'uuid' }) repId: string;
  @ApiProperty({ format: 'uuid' }) leadId: string;
}

export class SatisfactionView {
  @ApiProperty({ type: String, nullable: true, example: '4.50', description: 'average rating, 1-5' }) average: string | null;
  @ApiProperty({ type: 'integer' }) count: number;
}

export class SummaryOwnerView {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) repId: string | null;
  @ApiProperty({ type: String, nullable: true }) team: string | null;
}

export class SummaryRepView {
  @ApiProperty({ format: 'uuid' }) repId: string;
  @ApiProperty({ type: 'integer' }) openRecords: number;
  @ApiProperty({ type: 'integer' }) records: number;
}

/** The figures of an account or contact across every service, per currency. */
export class CustomerSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: [CurrencyAmountView] }) openPipeline: CurrencyAmountView[];
  @ApiProperty({ type: [CurrencyAmountView] }) lifetimeRevenue: CurrencyAmountView[];
  @ApiProperty({ type: [CurrencyAmountView] }) outstandingReceivables: CurrencyAmountView[];
  @ApiProperty({ type: LastContactView, nullable: true }) lastContact: LastContactView | null;
  @ApiProperty({ type: SatisfactionView }) satisfaction: SatisfactionView;
  @ApiProperty({ type: SummaryOwnerView }) owner: SummaryOwnerView;
  @ApiProperty({ type: [SummaryRepView] }) reps: SummaryRepView[];
}
