import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { PersonalDataSubjectView } from '@crm/http';

export class EraseContactDto {
  @ApiProperty({ example: '客户依据《个人信息保护法》第47条要求删除 / request under PIPL art. 47', maxLength: 500 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export class ErasureView {
  @ApiProperty({ format: 'uuid', description: 'the erasure request, as audited; the same on a repeat' }) requestId: string;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ type: [String], format: 'uuid', description: 'the leads resolved to the contact' }) leadIds: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) opportunityIds: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) orderIds: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) receivableIds: string[];
  @ApiProperty({ format: 'date-time' }) erasedAt: string;
}

const rows = (description: string) => ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description });

export class CustomersPersonalRecordsView {
  @rows('the contact, every column') contacts: Record<string, unknown>[];
  @rows("the contact's memberships of accounts, past and current") memberships: Record<string, unknown>[];
  @rows('the leads resolved to the contact (or the lead asked for)') leadResolutions: Record<string, unknown>[];
  @rows("the timeline entries of the contact and of the person's records") timelineEntries: Record<string, unknown>[];
  @rows("the person's leads, opportunities, orders and receivables as the timeline keeps them") customerRecords: Record<string, unknown>[];
  @rows('the merges the contact was part of, with what each remembered') merges: Record<string, unknown>[];
  @rows('the erasure of the contact, once made') erasures: Record<string, unknown>[];
}

export class CustomersPersonalDataView {
  @ApiProperty({ example: 'customers' }) service: string;
  @ApiProperty({ type: PersonalDataSubjectView }) subject: PersonalDataSubjectView;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: CustomersPersonalRecordsView }) records: CustomersPersonalRecordsView;
}
