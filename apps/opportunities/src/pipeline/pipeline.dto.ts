import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
const KEY_MESSAGE = '$property must be lower_snake_case (a-z, 0-9, _), at most 64 characters';

export class ExitCriteriaDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['needsReport'],
    description: 'opportunity fields (lines, expectedAmount…) or custom fields that must be filled',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  requiredFields?: string[];
  @ApiPropertyOptional({ type: [String], example: ['discovery_call'], description: 'task keys that must be completed' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(KEY_PATTERN, { each: true, message: KEY_MESSAGE })
  requiredTasks?: string[];
}

export class StageDto {
  @ApiProperty({ example: 'needs_analysis' }) @Matches(KEY_PATTERN, { message: KEY_MESSAGE }) key: string;
  @ApiProperty({ example: 'Needs analysis' }) @IsString() @IsNotEmpty() @MaxLength(100) name: string;
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.1 }) @IsNumber() @Min(0) @Max(1) winProbability: number;
  @ApiPropertyOptional({ enum: ['won', 'lost'], description: 'marks a closing stage' }) @IsOptional() @IsIn(['won', 'lost']) outcome?: 'won' | 'lost';
  @ApiPropertyOptional({ type: ExitCriteriaDto }) @IsOptional() @ValidateNested() @Type(() => ExitCriteriaDto) exitCriteria?: ExitCriteriaDto;
  @ApiPropertyOptional({ minimum: 1, example: 168, description: 'hours an opportunity may stay before a reminder' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(87_600)
  timeLimitHours?: number;
}

export class CreatePipelineDto {
  @ApiProperty({ example: 'enterprise' }) @IsString() @IsNotEmpty() @MaxLength(100) name: string;
  @ApiProperty({
    type: [StageDto],
    description: 'in pipeline order',
    example: [
      { key: 'qualification', name: '资格确认', winProbability: 0.1, exitCriteria: { requiredTasks: ['discovery_call'] }, timeLimitHours: 168 },
      { key: 'proposal', name: 'Proposal', winProbability: 0.5, exitCriteria: { requiredFields: ['expectedAmount'] } },
      { key: 'won', name: '赢单', winProbability: 1, outcome: 'won' },
      { key: 'lost', name: 'Lost', winProbability: 0, outcome: 'lost' },
    ],
  })
  @ValidateNested({ each: true })
  @Type(() => StageDto)
  @ArrayMinSize(3)
  @ArrayMaxSize(30)
  stages: StageDto[];
}

export class ExitCriteriaView {
  @ApiPropertyOptional({ type: [String] }) requiredFields?: string[];
  @ApiPropertyOptional({ type: [String] }) requiredTasks?: string[];
}

export class StageView {
  @ApiProperty() key: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'integer', description: '0-based, in pipeline order' }) position: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) winProbability: number;
  @ApiProperty({ type: String, enum: ['won', 'lost'], nullable: true, description: 'set on the closing stages' }) outcome: 'won' | 'lost' | null;
  @ApiProperty({ type: ExitCriteriaView }) exitCriteria: ExitCriteriaView;
  @ApiProperty({ type: 'integer', nullable: true, description: 'hours before a stage-overdue reminder; null: none' }) timeLimitHours: number | null;
}

/** A pipeline as created: its stages in order. */
export class NewPipelineView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'the pipeline new opportunities join when none is named' }) isDefault: boolean;
  @ApiProperty({ type: [StageView] }) stages: StageView[];
}

export class PipelineView extends NewPipelineView {
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
