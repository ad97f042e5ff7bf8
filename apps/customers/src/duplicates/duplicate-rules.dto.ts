import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { RULE_ACTIONS, RULE_MATCHES } from './duplicate.domain';

export class UpdateDuplicateRuleDto {
  @ApiPropertyOptional({ enum: RULE_MATCHES }) @IsOptional() @IsIn(RULE_MATCHES) match?: (typeof RULE_MATCHES)[number];
  @ApiPropertyOptional({ minimum: 0.05, maximum: 1, description: 'trigram similarity a fuzzy name must reach' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0.05)
  @Max(1)
  threshold?: number;
  @ApiPropertyOptional({ enum: RULE_ACTIONS }) @IsOptional() @IsIn(RULE_ACTIONS) action?: (typeof RULE_ACTIONS)[number];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
}
