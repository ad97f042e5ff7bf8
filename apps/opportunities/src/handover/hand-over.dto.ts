import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The opportunity after a hand-over: its row as `GET /api/v1/opportunities/{id}` shows it, without lines, tasks and history. */
export class HandedOverOpportunityView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['open'], description: 'only open deals change hands' }) status: 'open';
  @ApiProperty() stage: string;
  @ApiProperty({ format: 'uuid', description: 'the rep who took it over' }) repId: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: "the new owner's team" }) team: string | null;
  @ApiProperty({ example: '12000.0000' }) expectedAmount: string;
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ description: 'the ETag version' }) version: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
}
