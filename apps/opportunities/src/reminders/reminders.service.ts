import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { paginate, restrictToScope, type AuthUser, type Page } from '@crm/http';
import { ReminderEntity } from '../opportunities/opportunity.entities';
import type { ListRemindersQuery } from './reminders.dto';

/** Stage-overdue reminders, newest first, per rep. */
@Injectable()
export class RemindersService {
  constructor(private readonly dataSource: DataSource) {}

  list(user: AuthUser, query: ListRemindersQuery): Promise<Page<ReminderEntity>> {
    const qb = restrictToScope(this.dataSource.getRepository(ReminderEntity).createQueryBuilder('r'), user, { rep: 'r.repId', team: 'r.team' });
    if (query.repId) qb.andWhere('r.repId = :repId', { repId: query.repId });
    if (query.opportunityId) qb.andWhere('r.opportunityId = :opportunityId', { opportunityId: query.opportunityId });
    return paginate(qb, { sort: { column: 'r.detectedAt', direction: 'DESC' }, tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
  }
}
