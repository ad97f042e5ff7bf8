import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData } from '@crm/contracts';
import { DomainError } from '@crm/domain';
import { forgetPersonalValues } from '@crm/persistence';
import { labelValues, personalValuesIn, scrubParams } from './personal-data.domain';
import type { NotificationsPersonalDataQueryDto, NotificationsPersonalDataView } from './personal-data.dto';
import { PersonalDataRepository, type PersonQuery } from './personal-data.repository';

const named = (kind: string, ids: string[]) => ids.map((id) => ({ kind, id }));

/**
 * A person's data in notifications: the names of their records, the texts rendered about them (params of the
 * inbox items, which emails, digests and webhooks render from) and their leads' next actions. Scrubbed on
 * `contact.erased` and `lead.erased`, in the inbox transaction; exported for an authorised request. The service
 * publishes no personal field, so it owns no key to destroy.
 */
@Injectable()
export class PersonalDataService {
  private readonly logger = new Logger(PersonalDataService.name);

  constructor(private readonly repository: PersonalDataRepository) {}

  contactErased(m: EntityManager, d: EventData<'contact.erased'>) {
    return this.erase(m, {
      records: [...named('lead', d.leadIds), ...named('opportunity', d.opportunityIds), ...named('order', d.orderIds), ...named('receivable', d.receivableIds)],
      contactId: d.contactId,
      leadIds: d.leadIds,
    });
  }

  leadErased(m: EntityManager, d: EventData<'lead.erased'>) {
    return this.erase(m, { records: [...named('lead', [d.leadId]), ...named('opportunity', d.opportunityIds)], leadIds: [d.leadId] });
  }

  private async erase(m: EntityManager, q: PersonQuery): Promise<void> {
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
    this.logger.log(`erasure: ${held.length} record(s), ${notifications.length} notification(s), ${reminders.length} reminder(s) scrubbed`);
  }

  async export(query: NotificationsPersonalDataQueryDto): Promise<NotificationsPersonalDataView> {
    const subject = exactlyOneSubject(query);
    const ds = this.repository.source;
    const q: PersonQuery = subject.contactId ? { records: [], contactId: subject.contactId, leadIds: [] } : { records: [], leadIds: [subject.leadId!] };
    const records = await this.repository.records(ds, q);
    const leadIds = records.filter((r) => r.recordKind === 'lead').map((r) => r.recordId);
    if (subject.leadId && !leadIds.includes(subject.leadId)) leadIds.push(subject.leadId);
    const [notifications, reminders] = await Promise.all([this.repository.notificationsOf(ds, records), this.repository.reminders(ds, leadIds)]);
    return {
      service: 'notifications',
      subject,
      generatedAt: new Date().toISOString(),
      // Dates go out as ISO strings (JSON).
      records: { records, notifications, reminders } as unknown as NotificationsPersonalDataView['records'],
    };
  }
}

/** Exactly one of contactId and leadId names the person. */
function exactlyOneSubject(q: NotificationsPersonalDataQueryDto): { contactId?: string; leadId?: string } {
  if (q.contactId && q.leadId) throw DomainError.invalidField('leadId', 'give either contactId or leadId, not both');
  if (q.contactId) return { contactId: q.contactId };
  if (q.leadId) return { leadId: q.leadId };
  throw DomainError.invalidField('contactId', 'contactId or leadId is required');
}
