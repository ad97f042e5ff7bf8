import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '@crm/http';

export class ListRemindersQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'the rep reminded (a rep sees only their own)' }) @IsOptional() @IsUUID() repId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() opportunityId?: string;
}
