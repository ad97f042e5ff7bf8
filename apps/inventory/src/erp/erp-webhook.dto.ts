import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, NotEquals } from 'class-validator';
import { MAX_QUANTITY, SKU_PATTERN, WAREHOUSE_ID_PATTERN } from '../common.dto';

export const ERP_STOCK_EVENT_TYPES = ['receipt', 'adjustment'] as const;
export type ErpStockEventType = (typeof ERP_STOCK_EVENT_TYPES)[number];
/** The ERP's own event ids: opaque, but printable and bounded. */
export const ERP_EVENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** What the ERP pushes when goods arrive (receipt) or a count corrects a level (adjustment, ±). */
export class ErpStockEventDto {
  @ApiProperty({ example: 'erp-evt-000123', description: 'The ERP event id; a retry with the same id changes nothing' })
  @Matches(ERP_EVENT_ID_PATTERN, { message: 'eventId must be 1-128 letters, digits, ".", "_", ":" or "-"' })
  eventId: string;

  @ApiProperty({ enum: ERP_STOCK_EVENT_TYPES })
  @IsIn(ERP_STOCK_EVENT_TYPES)
  type: ErpStockEventType;

  @ApiProperty({ example: 'CHAIR-001' })
  @Matches(SKU_PATTERN, { message: 'sku must be 1-64 letters, digits, ".", "_" or "-"' })
  sku: string;

  @ApiProperty({ example: 'main' })
  @Matches(WAREHOUSE_ID_PATTERN, { message: 'warehouseId must be 1-64 lower-case letters, digits, "_" or "-"' })
  warehouseId: string;

  @ApiProperty({ description: 'Receipt: units in (≥ 1). Adjustment: the change, + or − (not 0)', minimum: -MAX_QUANTITY, maximum: MAX_QUANTITY, example: 20 })
  @IsInt()
  @Min(-MAX_QUANTITY)
  @Max(MAX_QUANTITY)
  @NotEquals(0)
  quantity: number;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  note?: string;
}

export class ErpStockEventResultDto {
  @ApiProperty() eventId: string;
  @ApiProperty({ description: 'True when this event id was already applied: nothing changed' }) duplicate: boolean;
  @ApiPropertyOptional({ description: 'On hand after the change (absent for a duplicate)' }) onHand?: number;
  @ApiPropertyOptional({ type: [String], description: 'Waiting orders the added stock served (a receipt or an upward adjustment)' })
  servedBackorders?: string[];
}
