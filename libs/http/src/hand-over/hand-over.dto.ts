import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** The longest reason a hand-over keeps (the events' `HandOverReason`). */
export const HAND_OVER_REASON_MAX = 500;
export const HAND_OVER_KINDS = ['leads', 'opportunities', 'orders'] as const;
export type HandOverKind = (typeof HAND_OVER_KINDS)[number];

const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** One record to another rep (`POST /api/v1/<records>/{id}/hand-over`); the same body in leads, opportunities and orders. */
export class HandOverDto {
  @ApiProperty({ format: 'uuid', description: 'the rep who takes the record over: known and active', example: '0b1c2d3e-4f5a-4b7c-8d9e-0f1a2b3c4d5e' })
  @IsUUID()
  toRepId: string;

  @ApiProperty({
    maxLength: HAND_OVER_REASON_MAX,
    description: 'why, kept on the record and in its event (trimmed; required)',
    example: 'Li Wei moves to the west region; 王芳 takes over East China accounts',
  })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(HAND_OVER_REASON_MAX)
  reason: string;
}

/** All of a rep's open work to another rep (`POST /api/v1/reps/{repId}/hand-over`). */
export class RepHandOverDto extends HandOverDto {
  @ApiPropertyOptional({
    enum: HAND_OVER_KINDS,
    isArray: true,
    description: 'which open records move; default all three',
    example: ['leads', 'opportunities', 'orders'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(HAND_OVER_KINDS.length)
  @ArrayUnique()
  @IsIn(HAND_OVER_KINDS, { each: true })
  kinds?: HandOverKind[];
}

/** The optional If-Match of a hand-over: a client that read the record may make the move conditional on it. */
export const HAND_OVER_IF_MATCH = 'ETag of the record as the caller read it, e.g. "3": the hand-over is refused (412) if it changed since; optional';
