import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import type { EventData } from '@crm/contracts';
import { forgetPersonalValues } from '@crm/persistence';
import { creditNoteView, paymentView, receivableView } from '../receivables/receivable.views';
import { decideScrub } from './personal-data.domain';
import type { FinancePersonalDataView } from './personal-data.dto';
import { PersonalDataRepository } from './personal-data.repository';

/**
 * A person's data in finance: erased on `contact.erased` (in the inbox transaction, so once), and exported.
 * Finance publishes no personal field, so it owns no key to destroy: its copies are scrubbed in place.
 */
@Injectable()
export class PersonalDataService {
  private readonly logger = new Logger(PersonalDataService.name);

  constructor(
    private readonly repository: PersonalDataRepository,
    private readonly calendar: BusinessCalendar,
  ) {}

  async erase(m: EntityManager, data: EventData<'contact.erased'>): Promise<void> {
    const rows = await this.repository.lockPerson(m, data);
    const scrub = decideScrub(rows);
    await forgetPersonalValues(m, scrub.values);
    await this.repository.scrub(m, scrub);
    this.logger.log(`erasure ${data.requestId}: ${scrub.receivableIds.length} receivable(s), ${scrub.paymentIds.length} payment reference(s) scrubbed`);
  }

  async export(contactId: string): Promise<FinancePersonalDataView> {
    const now = new Date();
    const held = await this.repository.ofContact(contactId);
    return {
      service: 'finance',
      subject: { contactId },
      generatedAt: now.toISOString(),
      records: {
        receivables: held.receivables.map((r) => receivableView(r, now, this.calendar.zone)),
        payments: held.payments.map(paymentView),
        creditNotes: held.creditNotes.map(creditNoteView),
      },
    };
  }
}
