import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { PageQueryDto } from '@crm/http';
import { BooleanQuery, MAX_QUANTITY, SKU_PATTERN, WAREHOUSE_ID_PATTERN } from '../common.dto';
import { MOVEMENT_REASONS, type MovementReason } from './stock.entities';

export class ReceiveStockDto {
  @ApiProperty({ example: 'CHAIR-001' })
  @Matches(SKU_PATTERN, { message: 'sku must be 1-64 letters, digits, ".", "_" or "-"' })
  sku: string;

  @ApiProperty({ example: 'main' })
  @Matches(WAREHOUSE_ID_PATTERN, { message: 'warehouseId must be 1-64 lower-case letters, digits, "_" or "-"' })
  warehouseId: string;

  @ApiProperty({ minimum: 1, maximum: MAX_QUANTITY, example: 20 })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity: number;

  @ApiPropertyOptional({ maxLength: 500, example: 'PO-2291 from supplier' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  note?: string;
}

export class StockReceiptDto {
  @ApiProperty({ description: 'Ledger row of this receipt' }) movementId: string;
  @ApiProperty() sku: string;
  @ApiProperty() warehouseId: string;
  @ApiProperty() quantity: number;
  @ApiProperty({ description: 'On hand in that warehouse after the receipt, before waiting orders were served' }) onHand: number;
  @ApiProperty({ type: [String], description: 'Waiting (on-hold) orders this receipt served: their stock is deducted and stock.deducted published' })
  servedBackorders: string[];
}

export class ListStockQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(SKU_PATTERN) sku?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(WAREHOUSE_ID_PATTERN) warehouseId?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Only levels at or below their reorder point' })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  belowReorderPoint?: boolean;
}

export class StockLevelDto {
  @ApiProperty() sku: string;
  @ApiProperty() warehouseId: string;
  @ApiProperty() onHand: number;
  @ApiProperty() reorderPoint: number;
  @ApiProperty({ description: 'At or below the reorder point' }) low: boolean;
  @ApiProperty() updatedAt: string;
}

export class ListMovementsQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(SKU_PATTERN) sku?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() orderId?: string;
}

export class StockMovementDto {
  @ApiProperty() id: string;
  @ApiProperty() sku: string;
  @ApiProperty() warehouseId: string;
  @ApiProperty({ description: 'Positive in, negative out' }) delta: number;
  @ApiProperty({ enum: MOVEMENT_REASONS }) reason: MovementReason;
  @ApiProperty({ nullable: true, type: String }) orderId: string | null;
  @ApiProperty({ nullable: true, type: String }) eventId: string | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty() by: string;
  @ApiProperty() createdAt: string;
}
