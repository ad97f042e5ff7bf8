import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { PersonalDataSubjectView } from '@crm/http';

/** Why a lead's personal data is erased (the person's request, as received). */
export class EraseLeadDto {
  @ApiProperty({ minLength: 1, maxLength: 500, example: 'The person asked by email on 2026-05-02 to have their data deleted (PIPL art. 47).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

const rows = (description: string) => ({ type: 'array', items: { type: 'object', additionalProperties: true }, description }) as const;

export class LeadsPersonalRecordsView {
  @ApiProperty(rows('the leads, every column (contact details, needs, custom fields, status, owner, dates, ids)')) leads: object[];
  @ApiProperty(rows("the leads' follow-ups (content, customer feedback, next action)")) followUps: object[];
  @ApiProperty(rows('the repeat submissions of the person, as submitted')) touches: object[];
  @ApiProperty(rows('who owned each lead when, and why')) assignments: object[];
  @ApiProperty(rows('qualification, disqualification and hand-over notes still held with their events')) notes: object[];
}

/** What the leads service holds about one person: its part of the person's data export. */
export class LeadsPersonalDataView {
  @ApiProperty({ enum: ['leads'] }) service: 'leads';
  @ApiProperty({ type: PersonalDataSubjectView }) subject: PersonalDataSubjectView;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: LeadsPersonalRecordsView }) records: LeadsPersonalRecordsView;
}
