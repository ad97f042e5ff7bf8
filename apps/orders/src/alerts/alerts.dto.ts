import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '@crm/http';

const KINDS = ['stock_shortage', 'past_promised_date', 'quality_problem', 'erp_refused'] as const;
const AUDIENCES = ['rep', 'finance'] as const;

export class ListAlertsQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'the rep the alerts go to (a rep sees only their own)' }) @IsOptional() @IsUUID() repId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() orderId?: string;
  @ApiPropertyOptional({ enum: KINDS }) @IsOptional() @IsIn(KINDS) kind?: (typeof KINDS)[number];
  @ApiPropertyOptional({ enum: AUDIENCES, description: "finance: the finance team's alerts (an ERP refusal)" })
  @IsOptional()
  @IsIn(AUDIENCES)
  audience?: (typeof AUDIENCES)[number];
  @ApiPropertyOptional({ description: 'true: not yet acknowledged' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  open?: boolean;
}

/** An alert for an order's rep (or finance) to acknowledge. */
export class AlertView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ format: 'uuid' }) repId: string;
  @ApiProperty({ type: String, nullable: true, example: 'east' }) team: string | null;
  @ApiProperty({ enum: KINDS }) kind: string;
  @ApiProperty({ enum: AUDIENCES }) audience: string;
  @ApiProperty() message: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) acknowledgedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) acknowledgedBy: string | null;
}
