import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { exportSubject } from '@crm/http';
import { forgetPersonalValues } from '@crm/persistence';
import { personalDataVault, personalKeyId } from '@crm/privacy';
import { erasedChanges, ORDER_RECORD } from '../orders/order-audit';
import { decideErasure, type ErasureTarget } from './personal-data.domain';
import { PersonalDataRepository } from './personal-data.repository';

const OWNER = 'orders';

/**
 * A person's data in this service (ADR 0024): erased on `contact.erased` / `lead.erased`, keeping every business
 * fact (lines, totals, currency, statuses, dates, the account's addresses), and exported on an authorised request.
 */
@Injectable()
export class PersonalDataService {
  private readonly logger = new Logger(PersonalDataService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: PersonalDataRepository,
    private readonly audit: AuditTrail,
  ) {}

  /** In the inbox's transaction: a redelivery finds nothing left to scrub and destroys nothing new. `by` erased it. */
  async erase(m: EntityManager, target: ErasureTarget, by: string): Promise<void> {
    const vault = personalDataVault();
    const copies = await this.repository.lockCopies(m, target);
    // A key read just before must not open a late event of these records as it was.
    const keyIds = [...new Set([...target.orderIds, ...copies.map((c) => c.id)])].map((id) => personalKeyId(OWNER, id));
    vault.forget(keyIds);
    const erasure = decideErasure(copies);
    await this.repository.scrub(m, erasure);
    await forgetPersonalValues(m, erasure.values);
    // Ids named by the event but not (yet) here get a tombstone too: nothing is ever sealed readable for them.
    await vault.destroy(keyIds, OWNER, 'erasure');
    // After the keys are gone, so the trail names the fields scrubbed but keeps none of their values.
    for (const { id, customer, comments } of copies) {
      const changes = erasedChanges(customer, comments);
      if (changes.length) await this.audit.record(m, { recordType: ORDER_RECORD, recordId: id, action: 'erased', changes, actor: by });
    }
    this.logger.log(`erased the personal data of ${copies.length} order${copies.length === 1 ? '' : 's'}`);
  }

  async export(query: { contactId?: string; leadId?: string }) {
    const subject = exportSubject(query);
    const records = await this.repository.export(this.dataSource.manager, subject);
    // Who took a copy of which record: one entry per order handed out, found by a query of that record.
    for (const { id } of records.orders) {
      await this.audit.record(this.dataSource.manager, { recordType: ORDER_RECORD, recordId: String(id), action: 'exported', changes: [] });
    }
    return { service: OWNER, subject, generatedAt: new Date().toISOString(), records };
  }
}
