import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNumber, Max, Min, ValidateIf } from 'class-validator';
import { RULE_ACTIONS, RULE_ENTITIES, RULE_FIELDS, RULE_MATCHES } from './duplicate.domain';

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
  @ApiPropertyOptional({ enum: RULE_ACTIONS, example: 'block' }) @Omittable() @IsIn(RULE_ACTIONS) action?: (typeof RULE_ACTIONS)[number];
  @ApiPropertyOptional() @Omittable() @IsBoolean() enabled?: boolean;
}

export class DuplicateRuleView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: RULE_ENTITIES }) entity: string;
  @ApiProperty({ enum: RULE_FIELDS }) field: string;
  @ApiProperty({ enum: RULE_MATCHES }) match: string;
  @ApiProperty({ type: Number, nullable: true, description: 'trigram similarity a fuzzy name must reach; null for exact rules' }) threshold: number | null;
  @ApiProperty({ enum: RULE_ACTIONS, description: 'warn: saving needs allowDuplicate; block: refused' }) action: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: 'integer', description: 'Send it back as If-Match ("<version>") to edit' }) version: number;
  @ApiProperty() updatedBy: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class DuplicateRuleListView {
  @ApiProperty({ type: [DuplicateRuleView], description: 'by entity, then field' }) items: DuplicateRuleView[];
}
