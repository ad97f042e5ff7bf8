import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope, EventOf } from '@crm/contracts';
import { CustomerRecordsRepository } from './customer-records.repository';
import { timelineFact } from './timeline.domain';

/** Applies an event of any service to the timeline and the customer records, in the inbox transaction. */
@Injectable()
export class TimelineProjection {
  constructor(private readonly records: CustomerRecordsRepository) {}

  async apply(m: EntityManager, event: EventEnvelope): Promise<void> {
    const { entry, record } = timelineFact(event);
    // A move names the rep it went to, so a screen can say "handed over to <name>: <reason>" (ADR 0022).
    const toRepId = entry?.detail.toRepId;
    if (entry && typeof toRepId === 'string') entry.detail = { ...entry.detail, toRepName: await this.records.repName(m, toRepId) };
    // The entry's id is the event's: a redelivered event adds no entry and counts no payment twice.
    if (entry && !(await this.records.insertEntry(m, event.id, entry))) return;
    if (!record) return;
    await this.records.upsertRecord(m, record);
    await this.records.propagate(m, record.recordId);
  }

  repUpserted(m: EntityManager, event: EventOf<'rep.upserted'>): Promise<void> {
    return this.records.saveRepTeam(m, event.data.repId, event.data.team ?? null, event.data.name);
  }

  accountMerged(m: EntityManager, { data }: EventOf<'account.merged'>) {
    return this.records.applyMerge(m, 'account', data);
  }

  accountMergeUndone(m: EntityManager, { data }: EventOf<'account.merge_undone'>) {
    return this.records.undoMerge(m, 'account', data);
  }

  contactMerged(m: EntityManager, { data }: EventOf<'contact.merged'>) {
    return this.records.applyMerge(m, 'contact', data);
  }

  contactMergeUndone(m: EntityManager, { data }: EventOf<'contact.merge_undone'>) {
    return this.records.undoMerge(m, 'contact', data);
  }
}
