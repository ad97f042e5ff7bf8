import { Controller, Get, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { accessScope, CurrentUser, PageQueryDto, paginate, Role, Roles, type AuthUser } from '@crm/http';
import { ReminderEntity } from '../opportunities/opportunity.entities';

export class ListRemindersQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'the rep reminded (a rep sees only their own)' }) @IsOptional() @IsUUID() repId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() opportunityId?: string;
}

/** Stage-overdue reminders, newest first, per rep. */
@ApiTags('reminders')
@Controller('api/v1/reminders')
export class RemindersController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Roles(Role.Admin, Role.SalesManager, Role.SalesRep)
  list(@CurrentUser() user: AuthUser, @Query() query: ListRemindersQuery) {
    const qb = this.dataSource.getRepository(ReminderEntity).createQueryBuilder('r');
    const scope = accessScope(user);
    if (scope.kind === 'team') qb.where('r.team = :scopeTeam', { scopeTeam: scope.team });
    if (scope.kind === 'own') qb.where('r.repId = :scopeRep', { scopeRep: scope.repId });
    if (query.repId) qb.andWhere('r.repId = :repId', { repId: query.repId });
    if (query.opportunityId) qb.andWhere('r.opportunityId = :opportunityId', { opportunityId: query.opportunityId });
    return paginate(qb, { sort: { column: 'r.detectedAt', direction: 'DESC' }, tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
  }
}
