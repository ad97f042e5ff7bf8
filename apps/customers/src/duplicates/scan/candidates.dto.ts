import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '@crm/http';
import { RULE_ENTITIES, RULE_FIELDS, type RuleEntity } from '../duplicate.domain';
import { SCAN_STATUSES, type ScanStatus } from './scan.domain';

export class ListCandidatesQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: RULE_ENTITIES }) @IsOptional() @IsIn(RULE_ENTITIES) entity?: RuleEntity;
  @ApiPropertyOptional({ enum: SCAN_STATUSES, description: 'open: waiting for a decision; dismissed: not duplicates; merged' })
  @IsOptional()
  @IsIn(SCAN_STATUSES)
  status?: ScanStatus;
}

/** A pair the duplicate scan found, as it stands. */
export class DuplicateCandidateView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: RULE_ENTITIES }) entity: string;
  @ApiProperty({ format: 'uuid' }) firstId: string;
  @ApiProperty({ format: 'uuid' }) secondId: string;
  @ApiProperty({ type: [String], enum: RULE_FIELDS, description: 'the fields that matched' }) fields: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) ruleIds: string[];
  @ApiProperty({ example: 0.82, description: 'how alike the two are, 0-1' }) score: number;
  @ApiProperty({ enum: SCAN_STATUSES }) status: string;
  @ApiProperty({ format: 'date-time' }) foundAt: string;
  @ApiProperty({ format: 'date-time' }) lastSeenAt: string;
  @ApiProperty({ type: String, nullable: true }) decidedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
}

export class CandidateRecordView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true, example: '北京华为科技有限公司' }) name: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) mergedInto: string | null;
}

/** A pair with the name of each record. */
export class DuplicateCandidatePairView extends DuplicateCandidateView {
  @ApiProperty({ type: CandidateRecordView }) first: CandidateRecordView;
  @ApiProperty({ type: CandidateRecordView }) second: CandidateRecordView;
}

export class ScanCountView {
  @ApiProperty({ type: 'integer', description: 'pairs that match an enabled rule now' }) pairs: number;
  @ApiProperty({ type: 'integer', description: 'of them, found first by this run' }) new: number;
}

export class ScanResultView {
  @ApiProperty({ type: ScanCountView }) account: ScanCountView;
  @ApiProperty({ type: ScanCountView }) contact: ScanCountView;
  @ApiProperty({ type: 'integer' }) tookMs: number;
}
