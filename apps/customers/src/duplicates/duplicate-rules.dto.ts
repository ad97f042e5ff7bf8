import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNumber, Max, Min, ValidateIf } from 'class-validator';
import { RULE_ACTIONS, RULE_MATCHES } from './duplicate.domain';

/** Left out keeps the value; `null` is no value of these (IsOptional would let it through). */
const Omittable = () => ValidateIf((_o: object, v: unknown) => v !== undefined);

export class UpdateDuplicateRuleDto {
  @ApiPropertyOptional({ enum: RULE_MATCHES }) @Omittable() @IsIn(RULE_MATCHES) match?: (typeof RULE_MATCHES)[number];
  @ApiPropertyOptional({ minimum: 0.05, maximum: 1, description: 'trigram similarity a fuzzy name must reach' })
  @Omittable()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0.05)
  @Max(1)
  threshold?: number;
  @ApiPropertyOptional({ enum: RULE_ACTIONS }) @Omittable() @IsIn(RULE_ACTIONS) action?: (typeof RULE_ACTIONS)[number];
  @ApiPropertyOptional() @Omittable() @IsBoolean() enabled?: boolean;
}
