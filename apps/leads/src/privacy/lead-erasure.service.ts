import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail, erasedFields } from '@crm/audit';
import type { EventData } from '@crm/contracts';
import { DomainError } from '@crm/domain';
import type { AuthUser } from '@crm/http';
import { appendToOutbox } from '@crm/messaging';
import { forgetPersonalValues, inTransaction } from '@crm/persistence';
import { personalDataVault, personalKeyId } from '@crm/privacy';
import { LeadEntity } from '../leads/lead.entities';
import { decideErasure, personalValues, redact, type ErasableLead, type ErasureReason } from './lead-erasure.domain';
import { LeadErasureRepository } from './lead-erasure.repository';

/** What an erasure scrubs of a lead (its follow-ups' texts and repeat touches with it). */
const ERASED_FIELDS = ['contactName', 'email', 'phone', 'needs', 'customFields', 'followUps', 'touches'];

/**
 * A person's leads lose their personal data in one transaction: every copy in the leads database is scrubbed,
 * the stored copies elsewhere (idempotency replays, published outbox rows) forgotten, and the leads' keys destroyed,
 * so their sealed fields on the topics can never be read again (docs/decisions/0024-personal-data.md).
 */
@Injectable()
export class LeadErasureService {
  private readonly logger = new Logger(LeadErasureService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly erasure: LeadErasureRepository,
    private readonly audit: AuditTrail,
  ) {}

  /** `contact.erased`: the contact's leads, by the ids the customers service knew and by the contact id held here. */
  async onContactErased(m: EntityManager, data: EventData<'contact.erased'>): Promise<void> {
    const leads = await this.erasure.lockLeads(m, data.leadIds, data.contactId);
    await this.scrub(m, leads, new Date(data.erasedAt), data.by);
    this.logger.log(`contact ${data.contactId} erased: ${leads.length} lead(s) scrubbed`);
  }

  /** An admin's request for a lead that never became a contact; a repeated request answers the erased lead again. */
  async eraseOnRequest(user: AuthUser, id: string, reason: string): Promise<LeadEntity> {
    return inTransaction(this.dataSource, async (m) => {
      const [lead] = await this.erasure.lockLeads(m, [id], null);
      if (!lead) throw DomainError.notFound('lead', id);
      if (await this.eraseOne(m, lead, 'request', user.sub, new Date())) {
        // The reason stays out of the log: it may name the person.
        this.logger.log(`lead ${id} erased on request by ${user.sub} (${reason.length} characters of reason)`);
      }
      return m.findOneByOrFail(LeadEntity, { id });
    });
  }

  /** One lead erased on its own (a request or its retention period): `lead.erased` tells the other services. */
  async eraseOne(m: EntityManager, lead: ErasableLead, reason: ErasureReason, by: string, now: Date): Promise<boolean> {
    const { changes, events } = decideErasure(lead, { reason, by, now });
    if (!changes.erase) return false;
    await this.scrub(m, [lead], now, by);
    await appendToOutbox(m, events);
    return true;
  }

  /**
   * Runs in the caller's transaction; the keys go last, so a failure before leaves everything to the retry. `by`:
   * who the trail names when no request does (the event's `by`, 'system' for retention).
   */
  async scrub(m: EntityManager, leads: readonly ErasableLead[], erasedAt: Date, by: string): Promise<void> {
    if (!leads.length) return;
    const ids = leads.map((l) => l.id);
    const values = personalValues(await this.erasure.identityValues(m, ids));
    // Kept texts (the assignment history's reasons) only lose the values quoted in them.
    const quoting = (await this.erasure.quotingTexts(m, ids)).flatMap((q) => {
      const text = redact(q.text, values);
      return text === q.text ? [] : [{ ...q, text }];
    });
    await this.erasure.scrub(m, ids, erasedAt, quoting);
    await this.erasure.scrubOutbox(m, ids);
    await this.erasure.forgetReplays(m, ids);
    await forgetPersonalValues(m, values);
    await personalDataVault().destroy(
      ids.map((id) => personalKeyId('leads', id)),
      'leads',
      'erasure',
    );
    // After the keys: the trail names the fields that went and keeps none of their values.
    for (const id of ids) await this.audit.record(m, { recordType: 'lead', recordId: id, action: 'erased', changes: erasedFields(ERASED_FIELDS), actor: by });
  }
}
