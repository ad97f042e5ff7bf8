import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrderStatus } from '@crm/contracts';

/** The order after a hand-over: its row as `GET /api/v1/orders/{id}` shows it, without lines, history and tracking. */
export class HandedOverOrderView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: OrderStatus.options.filter((s) => s !== 'completed' && s !== 'cancelled'), description: 'only open orders change hands' })
  status: string;
  @ApiProperty({ format: 'uuid', description: 'the rep who took it over' }) repId: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: "the new owner's team" }) team: string | null;
  @ApiProperty({ example: '255.1700' }) total: string;
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ description: 'the ETag version' }) version: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
}
