import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser, Page } from '@crm/http';
import { inTransaction } from '@crm/persistence';
import type { ReminderEntity } from '../opportunities/opportunity.entities';
import { overdueEvents } from './reminder.domain';
import { ReminderRepository } from './reminder.repository';
import type { ListRemindersQuery } from './reminders.dto';

/** Stage-overdue reminders, newest first, per rep. */
@Injectable()
export class RemindersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reminders: ReminderRepository,
  ) {}

  list(user: AuthUser, query: ListRemindersQuery): Promise<Page<ReminderEntity>> {
    return this.reminders.list(user, query);
  }

  /**
   * Records one batch of crossings as of `now`, each limit hour `hourMs` long, with their `opportunity.stage_overdue`,
   * in one transaction; `more` when the batch was full. Nothing while another replica holds the scan lock.
   */
  raiseOverdue(now: Date, hourMs: number, lockKey: number, batch: number): Promise<{ raised: number; more: boolean }> {
    return inTransaction(this.dataSource, async (m) => {
      if (!(await this.reminders.tryScanLock(m, lockKey))) return { raised: 0, more: false };
      const crossings = await this.reminders.recordCrossings(m, now, hourMs, batch);
      await this.reminders.publish(m, overdueEvents(crossings, now));
      return { raised: crossings.length, more: crossings.length === batch };
    });
  }
}
