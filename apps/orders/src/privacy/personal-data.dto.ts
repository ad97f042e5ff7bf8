import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

export class PersonalDataQuery {
  @ApiPropertyOptional({ description: 'the contact (customers service); give this or leadId' }) @IsOptional() @IsUUID() contactId?: string;
  @ApiPropertyOptional({ description: 'the lead (leads service); give this or contactId' }) @IsOptional() @IsUUID() leadId?: string;
}

class PersonalDataSubjectView {
  @ApiPropertyOptional({ format: 'uuid' }) contactId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) leadId?: string;
}

export class OrdersPersonalDataView {
  @ApiProperty({ example: 'orders' }) service: string;
  @ApiProperty({ type: PersonalDataSubjectView }) subject: PersonalDataSubjectView;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({
    description:
      'every row held about the person, by kind (orders, orderLines, statusHistory, tracking, feedback, feedbackRequests, draftEdits, handOvers, alerts), columns in camelCase; empty arrays when there is nothing',
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'object', additionalProperties: true } },
  })
  records: Record<string, Record<string, unknown>[]>;
}
