import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, Max, Min } from 'class-validator';

/** Relative weights of the factors; they are normalised to 100 points. */
export class ScoringWeightsDto {
  @ApiProperty({ example: 20, minimum: 0, maximum: 1000 }) @IsNumber() @Min(0) @Max(1000) companySize: number;
  @ApiProperty({ example: 20, minimum: 0, maximum: 1000 }) @IsNumber() @Min(0) @Max(1000) purchaseHistory: number;
  @ApiProperty({ example: 20, minimum: 0, maximum: 1000 }) @IsNumber() @Min(0) @Max(1000) urgency: number;
  @ApiProperty({ example: 25, minimum: 0, maximum: 1000 }) @IsNumber() @Min(0) @Max(1000) engagement: number;
  @ApiProperty({ example: 15, minimum: 0, maximum: 1000 }) @IsNumber() @Min(0) @Max(1000) amount: number;
}
