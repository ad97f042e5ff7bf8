import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { BusinessCalendar } from '@crm/calendar';
import type { EventData } from '@crm/contracts';
import type { PersonalDataSubject } from '@crm/http';
import { forgetPersonalValues, inTransaction } from '@crm/persistence';
import { personalDataVault, personalKeyId } from '@crm/privacy';
import { erasedChanges, exportedEntries } from '../audit/finance-audit';
import { creditNoteView, paymentView, receivableView } from '../receivables/receivable.views';
import { decideScrub } from './personal-data.domain';
import type { FinancePersonalDataView } from './personal-data.dto';
import { PersonalDataRepository } from './personal-data.repository';

/**
 * A person's data in finance: erased on `contact.erased` (in the inbox transaction, so once), and exported; both
 * audited. Finance publishes no personal field: its only keys (`finance:<receivable id>`) seal the personal values
 * of its audit trail, and the erasure destroys them with the rows scrubbed in place.
 */
@Injectable()
export class PersonalDataService {
  private readonly logger = new Logger(PersonalDataService.name);

  constructor(
    private readonly repository: PersonalDataRepository,
    private readonly calendar: BusinessCalendar,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  async erase(m: EntityManager, data: EventData<'contact.erased'>): Promise<void> {
    const rows = await this.repository.lockPerson(m, data);
    const scrub = decideScrub(rows);
    await forgetPersonalValues(m, scrub.values);
    await this.repository.scrub(m, scrub);
    // Keys first: the entries below then keep which fields went, never their values.
    await personalDataVault().destroy(
      rows.receivables.map((r) => personalKeyId('finance', r.id)),
      'finance',
      'erasure',
    );
    const erased = (recordType: string, recordId: string, keyRecordId: string, fields: Record<string, unknown>) =>
      this.audit.record(m, { actor: data.by, action: 'erased', recordType, recordId, keyRecordId, changes: erasedChanges(fields) });
    for (const r of rows.receivables) await erased('receivable', r.id, r.id, { customerName: r.customerName });
    const paymentIds = new Set(scrub.paymentIds);
    for (const p of rows.payments.filter((p) => paymentIds.has(p.id))) await erased('payment', p.id, p.receivableId, { reference: p.reference });
    const creditNoteIds = new Set(scrub.creditNotes.map((c) => c.id));
    for (const c of rows.creditNotes.filter((c) => creditNoteIds.has(c.id))) await erased('credit_note', c.id, c.receivableId, { reason: c.reason });
    this.logger.log(`erasure ${data.requestId}: ${scrub.receivableIds.length} receivable(s), ${scrub.paymentIds.length} payment reference(s) scrubbed`);
  }

  /** A lead's part is empty: finance knows receivables by order and contact, never by lead. */
  async export(subject: PersonalDataSubject): Promise<FinancePersonalDataView> {
    const now = new Date();
    const held = subject.contactId ? await this.repository.ofContact(subject.contactId) : { receivables: [], payments: [], creditNotes: [] };
    const entries = exportedEntries([
      ...held.receivables.map((r) => ({ recordType: 'receivable', recordId: r.id })),
      ...held.payments.map((p) => ({ recordType: 'payment', recordId: p.id, keyRecordId: p.receivableId })),
      ...held.creditNotes.map((c) => ({ recordType: 'credit_note', recordId: c.id, keyRecordId: c.receivableId })),
    ]);
    await inTransaction(this.dataSource, async (m) => {
      for (const entry of entries) await this.audit.record(m, entry);
    });
    return {
      service: 'finance',
      subject,
      generatedAt: now.toISOString(),
      records: {
        receivables: held.receivables.map((r) => receivableView(r, now, this.calendar.zone)),
        payments: held.payments.map(paymentView),
        creditNotes: held.creditNotes.map(creditNoteView),
      },
    };
  }
}
