import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO4217CurrencyCode,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MAX_HISTORY_RECORDS } from '@crm/contracts';
import { CustomerDto, LineDto } from '../opportunities/dto/opportunity.dto';

const When = () => IsISO8601({ strict: true, strictSeparator: true });
const AMOUNT = /^\d{1,15}(\.\d{1,4})?$/;

export class StageMoveHistoryDto {
  @ApiProperty({ example: 'proposal', description: 'an open stage of the default pipeline' }) @IsString() @IsNotEmpty() @MaxLength(64) toStage: string;
  @ApiProperty({ example: '2025-03-20T10:00:00Z' }) @When() at: string;
}

/** One opportunity as the previous system knew it: opened, moved through stages, then won, lost or still open. */
export class OpportunityHistoryDto {
  @ApiProperty({ example: 'old-crm-deal-77', description: 'its id in the previous system: importing it again changes nothing' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  externalId: string;
  @ApiPropertyOptional({ description: 'externalId of the imported lead it came from (its id here is derived from it)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  leadExternalId?: string;
  @ApiProperty({ type: CustomerDto }) @IsDefined() @ValidateNested() @Type(() => CustomerDto) customer: CustomerDto;
  @ApiProperty({ description: 'owner rep', example: '7d2f1c9e-5b3a-4e8f-9c1d-2a6b8e0f4c31' }) @IsUUID() repId: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) team?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) region?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) productLine?: string;
  @ApiProperty({ example: '25000.00' })
  @IsString()
  @Matches(AMOUNT, { message: '$property must be a decimal string with at most 4 fraction digits' })
  expectedAmount: string;
  @ApiProperty({ example: 'USD' }) @IsISO4217CurrencyCode() currency: string;
  @ApiProperty({ example: '2025-06-30' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date (YYYY-MM-DD)' })
  expectedCloseDate: string;
  @ApiProperty({ example: '2025-03-15T10:00:00Z' }) @When() createdAt: string;
  @ApiPropertyOptional({ description: 'the stage it was opened in; defaults to the first open stage' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  stage?: string;
  @ApiPropertyOptional({ type: [StageMoveHistoryDto], description: 'the later stage moves, oldest first' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => StageMoveHistoryDto)
  moves?: StageMoveHistoryDto[];
  @ApiPropertyOptional({ type: [LineDto], description: 'the lines quoted; required to import a win (the lines sold)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => LineDto)
  lines?: LineDto[];
  @ApiPropertyOptional({ enum: ['won', 'lost'], description: 'absent: still open' }) @IsOptional() @IsIn(['won', 'lost']) outcome?: 'won' | 'lost';
  @ApiPropertyOptional({ description: 'when it was won or lost (with outcome)' }) @IsOptional() @When() closedAt?: string;
  @ApiPropertyOptional({ description: 'why it was lost' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(500) lostReason?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) competitor?: string;
  @ApiPropertyOptional({ example: 'NET30' })
  @IsOptional()
  @IsString()
  @Matches(/^(NET(0|[1-9]\d{0,2})|DUE_ON_RECEIPT|EOM)$/, { message: '$property must be NET<days>, DUE_ON_RECEIPT or EOM' })
  paymentTerms?: string;
}

export class OpportunityHistoryImportDto {
  @ApiProperty({ type: [OpportunityHistoryDto], minItems: 1, maxItems: MAX_HISTORY_RECORDS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_HISTORY_RECORDS)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OpportunityHistoryDto)
  opportunities: OpportunityHistoryDto[];
}
