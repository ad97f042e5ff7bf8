import { Injectable } from '@nestjs/common';
import { DomainError } from '@crm/domain';
import { PersonalDataRepository, type LeadsPersonalData } from './personal-data.repository';

export interface LeadsPersonalDataExport {
  service: 'leads';
  subject: { contactId?: string; leadId?: string };
  generatedAt: string;
  records: LeadsPersonalData;
}

/** The leads service's part of a person's data export. */
@Injectable()
export class PersonalDataService {
  constructor(private readonly personalData: PersonalDataRepository) {}

  /** Exactly one of a contact (every lead resolved to them) and a lead; a person with nothing here gets empty lists. */
  async export(query: { contactId?: string; leadId?: string }, now = new Date()): Promise<LeadsPersonalDataExport> {
    if (!query.contactId === !query.leadId) {
      const message = 'give exactly one of contactId and leadId';
      throw DomainError.invalidFields([{ field: query.contactId ? 'leadId' : 'contactId', message, constraint: 'exactlyOne' }]);
    }
    const subject = query.contactId ? { contactId: query.contactId } : { leadId: query.leadId };
    return { service: 'leads', subject, generatedAt: now.toISOString(), records: await this.personalData.of(subject) };
  }
}
