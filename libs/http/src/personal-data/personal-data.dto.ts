import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

/**
 * Whose data a service's part of a person's data export is about (`GET /api/v1/personal-data/<service>`): exactly
 * one of the two ids, which `exportSubject` checks (400 otherwise).
 */
export class PersonalDataQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'the contact (customers service); give this or leadId' })
  @IsOptional()
  @IsUUID()
  contactId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'a lead (leads service), for a person who never became a contact; give this or contactId' })
  @IsOptional()
  @IsUUID()
  leadId?: string;
}

/** The `subject` of an export's answer: the id it was asked for. */
export class PersonalDataSubjectView {
  @ApiPropertyOptional({ format: 'uuid' }) contactId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) leadId?: string;
}
