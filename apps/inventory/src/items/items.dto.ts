import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { PageQueryDto } from '@crm/http';
import { BooleanQuery, SKU_PATTERN } from '../common.dto';

export class SkuParamDto {
  @ApiProperty({ example: 'CHAIR-001', pattern: SKU_PATTERN.source })
  @Matches(SKU_PATTERN, { message: 'sku must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit' })
  sku: string;
}

/** PUT replaces the item: an omitted optional field takes its default. */
export class UpsertItemDto {
  @ApiProperty({ example: 'Ergonomic office chair', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ example: 'furniture', maxLength: 64 })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  productLine?: string;

  @ApiPropertyOptional({ description: 'stock.low fires when a level falls to or below this', default: 0, minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  reorderPoint?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ListItemsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'furniture' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  productLine?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  active?: boolean;
}

export class ItemDto {
  @ApiProperty() sku: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) productLine: string | null;
  @ApiProperty() reorderPoint: number;
  @ApiProperty() active: boolean;
  @ApiProperty({ description: 'Send it back as If-Match ("<version>") to update only this version' }) version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class ItemStockDto {
  @ApiProperty() warehouseId: string;
  @ApiProperty() onHand: number;
  @ApiProperty({ description: 'At or below the reorder point' }) low: boolean;
}

export class ItemWithStockDto extends ItemDto {
  @ApiProperty({ type: [ItemStockDto] }) stock: ItemStockDto[];
  @ApiProperty() totalOnHand: number;
}
