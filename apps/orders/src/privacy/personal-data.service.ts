import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { forgetPersonalValues } from '@crm/persistence';
import { personalDataVault, personalKeyId } from '@crm/privacy';
import { decideErasure, exportSubject, type ErasureTarget } from './personal-data.domain';
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
  ) {}

  /** In the inbox's transaction: a redelivery finds nothing left to scrub and destroys nothing new. */
  async erase(m: EntityManager, target: ErasureTarget): Promise<void> {
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
    this.logger.log(`erased the personal data of ${copies.length} order${copies.length === 1 ? '' : 's'}`);
  }

  async export(query: { contactId?: string; leadId?: string }) {
    const subject = exportSubject(query);
    const records = await this.repository.export(this.dataSource.manager, subject);
    return { service: OWNER, subject, generatedAt: new Date().toISOString(), records };
  }
}
