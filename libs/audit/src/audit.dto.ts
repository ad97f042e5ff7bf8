import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '@crm/http';

// A field's value: text, a number, a yes/no, a list (emails, phones, ids) or an object (an address, custom fields),
// or null. OpenAPI 3.0 has no null type, so each branch is nullable.
const SCALARS = ['string', 'number', 'boolean'].map((type) => ({ type }));
const ANY_JSON = {
  anyOf: [
    ...SCALARS.map((t) => ({ ...t, nullable: true })),
    { type: 'array', items: { anyOf: SCALARS }, nullable: true },
    { type: 'object', additionalProperties: true, nullable: true },
  ],
};

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'the kind of record, e.g. contact, lead', example: 'contact' })
  @IsOptional()
  @Matches(/^[a-z_]{1,40}$/, { message: 'recordType must be a record kind such as contact' })
  recordType?: string;

  @ApiPropertyOptional({ description: "the record's id", example: '3f2b8c1e-6d0a-4b7e-9c55-0d2f6a1b9e10' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  recordId?: string;

  @ApiPropertyOptional({ description: "the user who made the changes (the token's subject)", example: 'rep-17' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'changes at or after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'changes before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class AuditChangeView {
  @ApiProperty({ example: 'phones' }) field: string;
  @ApiProperty({ ...ANY_JSON, description: 'the value before; masked or "[erased]" for a personal field, see the operation' })
  old: unknown;
  @ApiProperty({ ...ANY_JSON, description: 'the value after, shown like `old`' })
  new: unknown;
  @ApiProperty({ description: 'personal data: sealed with the record\'s key, masked for a sales rep, "[erased]" once the record is erased' })
  personal: boolean;
}

export class AuditRecordDto {
  @ApiProperty({ description: 'the entry, in the order entries were appended', example: '1024' }) id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ description: "who: the token's subject, or system" }) actor: string;
  @ApiProperty({ type: [String], example: ['sales_rep'] }) actorRoles: string[];
  @ApiProperty({ type: String, nullable: true, description: "the client's address as the gateway saw it", example: '203.0.113.7' }) ip: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the x-correlation-id of the request' }) correlationId: string | null;
  @ApiProperty({ example: 'contact' }) recordType: string;
  @ApiProperty() recordId: string;
  @ApiProperty({ description: 'created, updated, deleted, exported, erased, or a verb of the domain (merged, qualified …)', example: 'updated' })
  action: string;
  @ApiProperty({ type: [AuditChangeView] }) changes: AuditChangeView[];
}
