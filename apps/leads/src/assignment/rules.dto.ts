import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CompanySize, LeadSource } from '@crm/contracts';

export class RuleMatchDto {
  @ApiPropertyOptional({ type: [String], example: ['east'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  regions?: string[];
  @ApiPropertyOptional({ type: [String], example: ['pumps'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  productLines?: string[];
  @ApiPropertyOptional({ enum: LeadSource.options, isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(LeadSource.options, { each: true })
  sources?: string[];
  @ApiPropertyOptional({ enum: CompanySize.options, isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(CompanySize.options, { each: true })
  companySizes?: string[];
  @ApiPropertyOptional({ minimum: 0, maximum: 100, example: 70, description: 'lead quality score at least this (inclusive); an unscored lead does not match' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  minScore?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'lead quality score at most this (inclusive); an unscored lead does not match' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  maxScore?: number;
}

const TARGET_KINDS = ['rep', 'team', 'pool'] as const;

export class RuleTargetDto {
  @ApiProperty({ enum: TARGET_KINDS }) @IsIn(TARGET_KINDS) kind: (typeof TARGET_KINDS)[number];
  @ApiPropertyOptional({ description: 'kind=rep' }) @ValidateIf((o: RuleTargetDto) => o.kind === 'rep') @IsUUID() repId?: string;
  @ApiPropertyOptional({ description: 'kind=team' })
  @ValidateIf((o: RuleTargetDto) => o.kind === 'team')
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  team?: string;
  @ApiPropertyOptional({ type: [String], description: 'kind=pool' })
  @ValidateIf((o: RuleTargetDto) => o.kind === 'pool')
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  repIds?: string[];
}

export class CreateRuleDto {
  @ApiProperty({ example: 'East enterprise' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiProperty({ description: 'evaluation order, lowest first', example: 10 }) @IsInt() @Min(0) @Max(1_000_000) position: number;
  @ApiPropertyOptional({ type: RuleMatchDto, description: 'every condition set must hold; none = matches all' })
  @IsOptional()
  @IsObject() // @ValidateNested alone takes an array of none as valid (the fuzzer's `match: []`)
  @ValidateNested()
  @Type(() => RuleMatchDto)
  match?: RuleMatchDto;
  @ApiProperty({ type: RuleTargetDto, example: { kind: 'team', team: 'east' } })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RuleTargetDto)
  target: RuleTargetDto;
  @ApiPropertyOptional({ default: 72, description: 'first-follow-up deadline after assignment' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 90)
  followUpHours?: number;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateRuleDto {
  @ApiPropertyOptional({ example: '华东大客户' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ example: 20 }) @IsOptional() @IsInt() @Min(0) @Max(1_000_000) position?: number;
  @ApiPropertyOptional({ type: RuleMatchDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => RuleMatchDto) match?: RuleMatchDto;
  @ApiPropertyOptional({ type: RuleTargetDto, example: { kind: 'team', team: 'north' } })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RuleTargetDto)
  target?: RuleTargetDto;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(24 * 90) followUpHours?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

export class SimulateDto {
  @ApiProperty({ type: [CreateRuleDto], description: 'the proposed rule set, in place of the current one' })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => CreateRuleDto)
  rules: CreateRuleDto[];
  @ApiProperty({ description: 'leads captured at or after', example: '2026-01-01T00:00:00Z' }) @IsDateString() from: string;
  @ApiProperty({ description: 'leads captured before', example: '2026-04-01T00:00:00Z' }) @IsDateString() to: string;
  @ApiPropertyOptional({ default: false, description: 'include the per-lead list' }) @IsOptional() @IsBoolean() details?: boolean;
}

/** A stored rule, as every rules route answers it. */
export class RuleView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'integer' }) position: number;
  @ApiProperty({ type: RuleMatchDto, description: 'empty: matches every lead' }) match: RuleMatchDto;
  @ApiProperty({ type: RuleTargetDto }) target: RuleTargetDto;
  @ApiProperty({ type: 'integer' }) followUpHours: number;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: 'integer', description: 'Send it back as If-Match ("<version>") to update' }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class RuleListView {
  @ApiProperty({ type: [RuleView], description: 'in evaluation order' }) items: RuleView[];
}

export class SimulatedLeadView {
  @ApiProperty({ format: 'uuid' }) leadId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'who would have got it; null: nobody could' }) repId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the rule that matched' }) rule: string | null;
  @ApiProperty() reason: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'who really got it' }) actualRepId: string | null;
  @ApiProperty() changed: boolean;
}

export class SimulatedRepView {
  @ApiProperty({ format: 'uuid' }) repId: string;
  @ApiPropertyOptional() name?: string;
  @ApiProperty({ type: 'integer' }) simulated: number;
  @ApiProperty({ type: 'integer' }) actual: number;
  @ApiProperty({ type: 'integer', description: 'simulated − actual' }) difference: number;
  @ApiProperty({ type: 'integer' }) capacity: number;
}

export class SimulationTotalsView {
  @ApiProperty({ type: 'integer' }) leads: number;
  @ApiProperty({ type: 'integer' }) assigned: number;
  @ApiProperty({ type: 'integer' }) unassigned: number;
  @ApiProperty({ type: 'integer', description: 'leads that would have gone to another rep' }) changed: number;
}

/** A proposed rule set replayed over the leads of a period, against what really happened. */
export class SimulationView {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: SimulationTotalsView }) totals: SimulationTotalsView;
  @ApiProperty({ type: [SimulatedRepView] }) reps: SimulatedRepView[];
  @ApiPropertyOptional({ type: [SimulatedLeadView], description: 'with `details: true`' }) leads?: SimulatedLeadView[];
}
