import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditTrail, type AuditEntry } from '@crm/audit';
import type { EventData } from '@crm/contracts';
import { exportSubject, type PersonalDataQuery } from '@crm/http';
import { forgetPersonalValues, inTransaction } from '@crm/persistence';
import { personalDataVault, personalKeyId } from '@crm/privacy';
import { erasedChanges } from '../audit/notifications-audit';
import { labelValues, personalValuesIn, scrubParams } from './personal-data.domain';
import type { NotificationsPersonalDataView } from './personal-data.dto';
import { PersonalDataRepository, type PersonQuery } from './personal-data.repository';

const named = (kind: string, ids: string[]) => ids.map((id) => ({ kind, id }));

/**
 * A person's data in notifications: the names of their records, the texts rendered about them (params of the
 * inbox items, which emails, digests and webhooks render from) and their leads' next actions. Scrubbed on
 * `contact.erased` and `lead.erased`, in the inbox transaction; exported for an authorised request; both audited
 * per record. The service publishes no personal field; the keys an erasure destroys are those of its audit
 * entries (`notifications:<record>`), so they keep which fields went and never the values.
 */
@Injectable()
export class PersonalDataService {
  private readonly logger = new Logger(PersonalDataService.name);

  constructor(
    private readonly repository: PersonalDataRepository,
    private readonly audit: AuditTrail,
  ) {}

  contactErased(m: EntityManager, d: EventData<'contact.erased'>) {
    return this.erase(m, d.by, {
      records: [...named('lead', d.leadIds), ...named('opportunity', d.opportunityIds), ...named('order', d.orderIds), ...named('receivable', d.receivableIds)],
      contactId: d.contactId,
      leadIds: d.leadIds,
    });
  }

  leadErased(m: EntityManager, d: EventData<'lead.erased'>) {
    return this.erase(m, d.by, { records: [...named('lead', [d.leadId]), ...named('opportunity', d.opportunityIds)], leadIds: [d.leadId] });
  }

  private async erase(m: EntityManager, by: string, q: PersonQuery): Promise<void> {
    const held = await this.repository.records(m, q, true);
    const records = [...held, ...q.records.map((r) => ({ recordKind: r.kind, recordId: r.id }))];
    const leadIds = [...new Set([...q.leadIds, ...records.filter((r) => r.recordKind === 'lead').map((r) => r.recordId)])];
    const [notifications, reminders] = await Promise.all([this.repository.notificationsOf(m, records, true), this.repository.reminders(m, leadIds, true)]);
    const values = [
      ...new Set([
        ...held.flatMap((r) => labelValues(r.label)),
        ...notifications.flatMap((n) => [...personalValuesIn(n.params), ...labelValues(typeof n.params.label === 'string' ? n.params.label : null)]),
        ...reminders.flatMap((r) => (r.nextAction ? [r.nextAction] : [])),
      ]),
    ];
    const scrubbed = notifications.map((n) => ({ id: n.id, params: scrubParams(n.params, values) }));
    await forgetPersonalValues(m, values);
    await this.repository.scrub(m, { records, leadIds, notifications: scrubbed });
    const entries: AuditEntry[] = [
      ...held.filter((r) => r.label !== null).map((r) => erased('record', `${r.recordKind}:${r.recordId}`, ['label'])),
      ...notifications.map((n) => erased('notification', n.id, ['params'])),
      ...reminders.filter((r) => r.nextAction).map((r) => erased('reminder', r.leadId, ['nextAction'])),
    ];
    // Their keys first: each entry then keeps the fields that went, sealed with a key that is gone (no values).
    await personalDataVault().destroy([...new Set(entries.map((e) => personalKeyId('notifications', e.recordId)))], 'notifications', 'erasure');
    for (const entry of entries) await this.audit.record(m, { ...entry, actor: by });
    this.logger.log(`erasure: ${held.length} record(s), ${notifications.length} notification(s), ${reminders.length} reminder(s) scrubbed`);
  }

  async export(query: PersonalDataQuery): Promise<NotificationsPersonalDataView> {
    const subject = exportSubject(query);
    const ds = this.repository.source;
    const q: PersonQuery = subject.contactId ? { records: [], contactId: subject.contactId, leadIds: [] } : { records: [], leadIds: [subject.leadId!] };
    const records = await this.repository.records(ds, q);
    const leadIds = records.filter((r) => r.recordKind === 'lead').map((r) => r.recordId);
    if (subject.leadId && !leadIds.includes(subject.leadId)) leadIds.push(subject.leadId);
    const [notifications, reminders] = await Promise.all([this.repository.notificationsOf(ds, records), this.repository.reminders(ds, leadIds)]);
    const entries = [
      ...records.map((r) => exported('record', `${r.recordKind}:${r.recordId}`)),
      ...notifications.map((n) => exported('notification', n.id)),
      ...reminders.map((r) => exported('reminder', r.leadId)),
    ];
    await inTransaction(ds, async (m) => {
      for (const entry of entries) await this.audit.record(m, entry);
    });
    return {
      service: 'notifications',
      subject,
      generatedAt: new Date().toISOString(),
      // Dates go out as ISO strings (JSON).
      records: { records, notifications, reminders } as unknown as NotificationsPersonalDataView['records'],
    };
  }
}

const erased = (recordType: string, recordId: string, fields: string[]): AuditEntry => ({
  recordType,
  recordId,
  action: 'erased',
  changes: erasedChanges(fields),
});
const exported = (recordType: string, recordId: string): AuditEntry => ({ recordType, recordId, action: 'exported', changes: [] });
