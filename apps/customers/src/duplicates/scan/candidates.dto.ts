import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '@crm/http';
import { RULE_ENTITIES, type RuleEntity } from '../duplicate.domain';
import { SCAN_STATUSES, type ScanStatus } from './scan.domain';

export class ListCandidatesQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: RULE_ENTITIES }) @IsOptional() @IsIn(RULE_ENTITIES) entity?: RuleEntity;
  @ApiPropertyOptional({ enum: SCAN_STATUSES, description: 'open: waiting for a decision; dismissed: not duplicates; merged' })
  @IsOptional()
  @IsIn(SCAN_STATUSES)
  status?: ScanStatus;
}
