import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { BusinessCalendar } from '@crm/calendar';
import { DomainError } from '@crm/domain';
import type { AuthUser } from '@crm/http';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { DirectoryService } from '../directory/directory.service';
import { decideDraftEdit, type DraftEdit } from './draft-edit.domain';
import { DraftEditRepository } from './draft-edit.repository';
import { draftEditChanges, ORDER_RECORD } from './order-audit';
import { OrdersRepository, type OrderView } from './orders.repository';

/** Editing a draft before it is submitted: lines, terms, addresses, promised date, in one transaction. */
@Injectable()
export class DraftEditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrdersRepository,
    private readonly edits: DraftEditRepository,
    private readonly directory: DirectoryService,
    private readonly calendar: BusinessCalendar,
    private readonly audit: AuditTrail,
  ) {}

  /** The caller's draft at the version they read, edited; answers the order as GET shows it. */
  async edit(user: AuthUser, id: string, edit: DraftEdit, expectedVersion: number): Promise<OrderView> {
    await inTransaction(this.dataSource, (m) =>
      loadDecideSave(m, {
        load: (m) => this.orders.lockVisible(m, user, id),
        notFound: () => DomainError.notFound('order', id),
        expectedVersion,
        decide: async (order) => {
          const unsellable = edit.lines ? await this.directory.unsellableSkus(m, [...new Set(edit.lines.map((l) => l.sku))]) : new Set<string>();
          const now = new Date();
          return decideDraftEdit(order, edit, { unsellable, today: this.calendar.today(now), by: user.sub, now, newId: randomUUID });
        },
        save: async (m, order, changes) => {
          await this.edits.save(m, order, changes);
          if (!changes.edit) return;
          const after = await this.orders.lock(m, id);
          const audited = draftEditChanges(order, after, changes.edit.note);
          await this.audit.record(m, { recordType: ORDER_RECORD, recordId: id, action: 'draft_edited', changes: audited });
        },
      }),
    );
    // Read after the commit, with the history and edits: the same body (and ETag) a GET gives.
    const order = await this.orders.detail(user, id);
    if (!order) throw DomainError.notFound('order', id);
    return order;
  }
}
