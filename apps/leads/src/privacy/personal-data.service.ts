import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { exportSubject, type PersonalDataSubject } from '@crm/http';
import { inTransaction } from '@crm/persistence';
import { PersonalDataRepository, type LeadsPersonalData } from './personal-data.repository';

export interface LeadsPersonalDataExport {
  service: 'leads';
  subject: PersonalDataSubject;
  generatedAt: string;
  records: LeadsPersonalData;
}

/** The leads service's part of a person's data export, audited. */
@Injectable()
export class PersonalDataService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly personalData: PersonalDataRepository,
    private readonly audit: AuditTrail,
  ) {}

  /** Exactly one of a contact (every lead resolved to them) and a lead; a person with nothing here gets empty lists. */
  async export(query: { contactId?: string; leadId?: string }, now = new Date()): Promise<LeadsPersonalDataExport> {
    const subject = exportSubject(query);
    const records = await this.personalData.of(subject);
    // Nothing leaves unaudited: one 'exported' entry per lead returned (its follow-ups, touches and notes with it).
    await inTransaction(this.dataSource, async (m) => {
      for (const lead of records.leads) await this.audit.record(m, { recordType: 'lead', recordId: lead.id as string, action: 'exported', changes: [] });
    });
    return { service: 'leads', subject, generatedAt: now.toISOString(), records };
  }
}
