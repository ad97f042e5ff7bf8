import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { FollowUpChannel, LeadSource, MAX_HISTORY_RECORDS } from '@crm/contracts';
import { LeadInputDto } from '../leads/leads.dto';

const When = () => IsISO8601({ strict: true, strictSeparator: true });

export class FollowUpHistoryDto {
  @ApiProperty({ example: '2025-03-02T09:30:00Z' }) @When() at: string;
  @ApiProperty({ enum: FollowUpChannel.options }) @IsIn(FollowUpChannel.options) channel: string;
  @ApiProperty({ maxLength: 4000 }) @IsString() @IsNotEmpty() @MaxLength(4000) content: string;
  @ApiPropertyOptional({ maxLength: 4000 }) @IsOptional() @IsString() @MaxLength(4000) customerFeedback?: string;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500) nextAction?: string;
}

/** One lead as the previous system knew it, with the moments of its life; absent moments did not happen. */
export class LeadHistoryDto extends LeadInputDto {
  @ApiProperty({ example: 'old-crm-lead-1042', description: 'its id in the previous system: importing it again changes nothing' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  externalId: string;
  @ApiProperty({ enum: LeadSource.options }) @IsIn(LeadSource.options) source: string;
  @ApiProperty({ example: '2025-03-01T08:00:00Z' }) @When() capturedAt: string;
  @ApiPropertyOptional({ description: 'the rep who owned it (a rep of this CRM); required once it was followed up, qualified or converted' })
  @IsOptional()
  @IsUUID()
  ownerRepId?: string;
  @ApiPropertyOptional({ description: 'when it was assigned; defaults to capturedAt' }) @IsOptional() @When() assignedAt?: string;
  @ApiPropertyOptional({ type: [FollowUpHistoryDto], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => FollowUpHistoryDto)
  followUps?: FollowUpHistoryDto[];
  @ApiPropertyOptional() @IsOptional() @When() qualifiedAt?: string;
  @ApiPropertyOptional({ description: 'with disqualifyReason' }) @IsOptional() @When() disqualifiedAt?: string;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(500) disqualifyReason?: string;
  @ApiPropertyOptional() @IsOptional() @When() convertedAt?: string;
}

export class LeadHistoryImportDto {
  @ApiProperty({ type: [LeadHistoryDto], minItems: 1, maxItems: MAX_HISTORY_RECORDS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_HISTORY_RECORDS)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => LeadHistoryDto)
  leads: LeadHistoryDto[];
}
