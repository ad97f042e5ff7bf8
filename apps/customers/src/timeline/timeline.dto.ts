import { ApiPropertyOptional } from '@nestjs/swagger';
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
