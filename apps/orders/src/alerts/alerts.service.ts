import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@crm/domain';
import type { AuthUser, Page } from '@crm/http';
import { inTransaction } from '@crm/persistence';
import { decideAcknowledge } from './alert.domain';
import type { AlertEntity } from './alert.entity';
import type { ListAlertsQuery } from './alerts.dto';
import { AlertsRepository } from './alerts.repository';

/** Alerts for the order's rep (shortage, delay, quality problem), listed per rep and acknowledged by them. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly alerts: AlertsRepository,
  ) {}

  list(user: AuthUser, query: ListAlertsQuery): Promise<Page<AlertEntity>> {
    return this.alerts.list(user, query);
  }

  // An alert has no version to check or events to publish: a guarded update, not a load-decide-save step.
  async acknowledge(user: AuthUser, id: string): Promise<AlertEntity> {
    await inTransaction(this.dataSource, async (m) => {
      const alert = await this.alerts.findVisible(user, id, m);
      if (!alert) throw DomainError.notFound('alert', id);
      const { changes } = decideAcknowledge(alert, user.sub, new Date());
      if (changes) await this.alerts.acknowledge(m, id, changes);
    });
    return (await this.alerts.findVisible(user, id))!;
  }
}
