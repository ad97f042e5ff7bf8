import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventOf } from '@crm/contracts';
import type { RecordKind } from '../catalogue/catalogue';
import { FanoutService } from '../fanout/fanout.service';
import { NOTIFICATIONS_SETTINGS, type NotificationsSettings } from '../notifications.settings';
import { RemindersRepository } from '../reminders/reminders.repository';
import { RecordAccessRepository } from './record-access.repository';
import { isLive, labelOf, triggerOf, type SourceEvent } from './sources.domain';

/**
 * What the other services' events mean here: each keeps the copies current (who owns a record, its name and
 * product lines, the reps, the items, the open next actions), and a live one goes through the rules.
 */
@Injectable()
export class SourcesService {
  constructor(
    private readonly records: RecordAccessRepository,
    private readonly reminders: RemindersRepository,
    private readonly fanout: FanoutService,
    @Inject(NOTIFICATIONS_SETTINGS) private readonly settings: NotificationsSettings,
  ) {}

  /** Runs the rules for an event about one record, unless it is historical or too old to be news. */
  async notify(m: EntityManager, event: SourceEvent, kind: RecordKind, id: string, previousOwnerId?: string): Promise<void> {
    if (!isLive(event, new Date(), this.settings.maxEventAgeHours)) return;
    await this.fanout.fanOut(m, triggerOf(event, { kind, id }, { previousOwnerId }));
  }

  rep(m: EntityManager, { data }: EventOf<'rep.upserted'>) {
    return this.records.upsertRep(m, {
      repId: data.repId,
      name: data.name,
      email: data.email,
      team: data.team ?? null,
      managerId: data.managerId ?? null,
      active: data.active,
    });
  }

  item(m: EntityManager, { data }: EventOf<'item.upserted'>) {
    return this.records.upsertItem(m, data.sku, data.productLine ?? null);
  }

  leadCaptured(m: EntityManager, { data }: EventOf<'lead.captured'>) {
    return this.records.upsert(m, 'lead', data.leadId, {
      label: labelOf(data.contact),
      productLines: data.productLine ? [data.productLine] : undefined,
      leadId: data.leadId,
    });
  }

  /** Which contact a converted lead is: its notifications are that person's (export, erasure). */
  leadResolved(m: EntityManager, { data }: EventOf<'contact.lead_resolved'>) {
    return this.records.resolveLead(m, data.leadId, data.contactId);
  }

  async leadAssigned(m: EntityManager, event: EventOf<'lead.assigned'>) {
    await this.records.upsert(m, 'lead', event.data.leadId, { ownerId: event.data.repId, team: event.data.team });
    await this.notify(m, event, 'lead', event.data.leadId);
  }

  async leadReassigned(m: EntityManager, event: EventOf<'lead.reassigned'>) {
    await this.records.upsert(m, 'lead', event.data.leadId, { ownerId: event.data.toRepId });
    await this.notify(m, event, 'lead', event.data.leadId, event.data.fromRepId);
  }

  followedUp(m: EntityManager, { data }: EventOf<'lead.followed_up'>) {
    return this.reminders.recordFollowUp(m, {
      leadId: data.leadId,
      followUpId: data.followUpId,
      repId: data.repId,
      at: new Date(data.at),
      nextAction: data.nextAction ?? null,
      dueAt: data.nextActionDueAt ? new Date(data.nextActionDueAt) : null,
    });
  }

  leadClosed(m: EntityManager, { data }: EventOf<'lead.converted' | 'lead.disqualified'>) {
    return this.reminders.close(m, data.leadId);
  }

  opportunityCreated(m: EntityManager, { data }: EventOf<'opportunity.created'>) {
    return this.records.upsert(m, 'opportunity', data.opportunityId, {
      ownerId: data.repId,
      team: data.team,
      label: labelOf(data.customer),
      productLines: data.productLine ? [data.productLine] : [],
      contactId: data.contactId,
      leadId: data.leadId,
    });
  }

  async order(m: EntityManager, { data }: EventOf<'order.drafted' | 'order.draft_updated' | 'order.confirmed'>) {
    const productLines = await this.records.productLinesOf(
      m,
      data.lines.map((l) => l.sku),
      data.opportunityId,
    );
    await this.records.upsert(m, 'order', data.orderId, {
      ownerId: data.repId,
      team: data.team,
      label: labelOf(data.customer),
      productLines,
      contactId: data.contactId,
      leadId: await this.records.leadOf(m, data.opportunityId),
    });
  }

  /** A handed-over deal is its new owner's to see and be told about (ADR 0022). */
  async opportunityReassigned(m: EntityManager, event: EventOf<'opportunity.reassigned'>) {
    await this.records.upsert(m, 'opportunity', event.data.opportunityId, { ownerId: event.data.toRepId, team: event.data.team });
    await this.notify(m, event, 'opportunity', event.data.opportunityId);
  }

  /** A handed-over order, and the money owed on it, are the new owner's. */
  async orderReassigned(m: EntityManager, event: EventOf<'order.reassigned'>) {
    await this.records.upsert(m, 'order', event.data.orderId, { ownerId: event.data.toRepId, team: event.data.team });
    await this.records.receivablesFollowOrder(m, event.data.orderId);
    await this.notify(m, event, 'order', event.data.orderId);
  }

  receivableCreated(m: EntityManager, { data }: EventOf<'receivable.created'>) {
    return this.records.copyFromOrder(m, data.receivableId, data.orderId);
  }

  /** Overdue money: the receivable takes the order's owner first (its creation may not have been seen). */
  async receivableOverdue(m: EntityManager, event: EventOf<'receivable.overdue'>) {
    await this.records.copyFromOrder(m, event.data.receivableId, event.data.orderId);
    await this.notify(m, event, 'receivable', event.data.receivableId);
  }
}
