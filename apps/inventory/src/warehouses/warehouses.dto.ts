import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { WAREHOUSE_ID_PATTERN } from '../common.dto';

export class CreateWarehouseDto {
  @ApiProperty({ example: 'east', pattern: WAREHOUSE_ID_PATTERN.source })
  @Matches(WAREHOUSE_ID_PATTERN, { message: 'id must be 1-64 lower-case letters, digits, "_" or "-"' })
  id: string;

  @ApiProperty({ example: 'East distribution centre' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ description: 'Lower serves orders first', default: 100, minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  priority?: number;
}

export class WarehouseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() priority: number;
  @ApiProperty() createdAt: string;
}
