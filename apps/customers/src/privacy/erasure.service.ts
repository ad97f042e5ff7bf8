import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail, erasedFields, type FieldChange } from '@crm/audit';
import type { EventOf } from '@crm/contracts';
import { DomainError } from '@crm/domain';
import type { AuthUser } from '@crm/http';
import { appendToOutbox } from '@crm/messaging';
import { forgetPersonalValues, inTransaction } from '@crm/persistence';
import { personalDataVault } from '@crm/privacy';
import { CONTACT_PERSONAL } from '../audit/customers-audit';
import { assertErasable, decideErasure, erasedKeys, scrubContactSnapshot, scrubDetail, type ErasureResult } from './erasure.domain';
import { ErasureRepository } from './erasure.repository';

/** A person's erasure (PIPL art. 47, GDPR art. 17): the contact on request, a lead that never became one on its event. */
@Injectable()
export class ErasureService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly erasures: ErasureRepository,
    private readonly audit: AuditTrail,
  ) {}

  /** One transaction: scrub, forget the copies, destroy the keys of every record named, audit, announce `contact.erased`. */
  eraseContact(user: AuthUser, contactId: string, reason: string): Promise<ErasureResult> {
    return inTransaction(this.dataSource, async (m) => {
      const contact = await this.erasures.lockContact(m, contactId);
      if (!contact) throw DomainError.notFound('contact', contactId);
      // A repeat answers what the first request did and publishes nothing.
      const done = await this.erasures.findErasure(m, contactId);
      if (done) return done;
      assertErasable(contact);
      const contactIds = await this.erasures.personContacts(m, contactId);
      const scope = await this.erasures.scopeOf(m, contactIds);
      const values = await this.erasures.contactValues(m, contactIds);
      const records = [...scope.leadIds, ...scope.opportunityIds, ...scope.orderIds, ...scope.receivableIds];
      values.push(...(await this.scrubTimeline(m, contactIds, records)));
      values.push(...(await this.scrubMerges(m, contactIds)));
      const now = new Date();
      await this.erasures.scrubContacts(m, contactIds, now);
      await forgetPersonalValues(m, [...new Set(values)]);
      const { result, events } = decideErasure(contactId, scope, { requestId: randomUUID(), by: user.sub, now });
      await this.erasures.insertErasure(m, result, contactIds, reason, user.sub);
      // Crypto-shredding: the events of the contact and of its leads, opportunities and orders on the topics can never
      // be opened again, by any service, from now on (ADR 0024); their owners destroy theirs again on contact.erased.
      for (const { owner, keyIds } of erasedKeys(scope)) await personalDataVault().destroy(keyIds, owner, 'erasure');
      // After the keys: the trail names the fields that went and keeps none of their values.
      for (const id of contactIds) await this.audited(m, 'contact', id, erasedFields(CONTACT_PERSONAL), user.sub);
      for (const [kind, ids] of [
        ['lead', scope.leadIds],
        ['opportunity', scope.opportunityIds],
        ['order', scope.orderIds],
        ['receivable', scope.receivableIds],
      ] as const) {
        for (const id of ids) await this.audited(m, kind, id, [], user.sub);
      }
      await appendToOutbox(m, events);
      return result;
    });
  }

  /** `lead.erased`: the entries of the lead and of what came of it lose the person's values. */
  async leadErased(m: EntityManager, event: EventOf<'lead.erased'>): Promise<void> {
    const { leadId, opportunityIds } = event.data;
    const records = await this.erasures.leadRecords(m, leadId, opportunityIds);
    const values = await this.scrubTimeline(m, [], records);
    await forgetPersonalValues(m, [...new Set(values)]);
    for (const record of await this.erasures.heldRecords(m, records)) await this.audited(m, record.kind, record.id, [], event.data.by);
  }

  /** One record an erasure scrubbed here, by the request's user or the event's `by`. */
  private audited(m: EntityManager, recordType: string, recordId: string, changes: FieldChange[], actor: string) {
    return this.audit.record(m, { recordType, recordId, action: 'erased', changes, actor });
  }

  private async scrubTimeline(m: EntityManager, contactIds: string[], recordIds: string[]): Promise<string[]> {
    const values: string[] = [];
    const changed: { id: string; detail: Record<string, unknown> }[] = [];
    for (const entry of await this.erasures.entries(m, contactIds, recordIds)) {
      const scrubbed = scrubDetail(entry.kind, entry.detail);
      values.push(...scrubbed.values);
      if (JSON.stringify(scrubbed.detail) !== JSON.stringify(entry.detail)) changed.push({ id: entry.id, detail: scrubbed.detail });
    }
    await this.erasures.saveEntries(m, changed);
    return values;
  }

  /** Each side of a merge that remembers one of the person's contacts. */
  private async scrubMerges(m: EntityManager, contactIds: string[]): Promise<string[]> {
    const values: string[] = [];
    const ours = new Set(contactIds);
    for (const merge of await this.erasures.contactMerges(m, contactIds)) {
      if (ours.has(merge.survivorId)) {
        const s = scrubContactSnapshot(merge.survivorBefore);
        merge.survivorBefore = s.snapshot;
        values.push(...s.values);
      }
      if (ours.has(merge.mergedId)) {
        const s = scrubContactSnapshot(merge.mergedData);
        merge.mergedData = s.snapshot;
        values.push(...s.values);
      }
      await this.erasures.saveMerge(m, merge);
    }
    return values;
  }
}
