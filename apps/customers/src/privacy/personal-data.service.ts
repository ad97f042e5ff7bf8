import { Injectable } from '@nestjs/common';
import { DomainError } from '@crm/domain';
import type { PersonalDataQuery } from './personal-data.dto';
import { PersonalDataRepository } from './personal-data.repository';

/** A person's data export: what this service holds about one contact or one lead (empty lists when nothing). */
@Injectable()
export class PersonalDataService {
  constructor(private readonly repository: PersonalDataRepository) {}

  async export(query: PersonalDataQuery) {
    if (query.contactId && query.leadId) throw DomainError.invalidInput('leadId', 'exclusive', 'give contactId or leadId, not both');
    const records = query.contactId ? await this.repository.ofContact(query.contactId) : await this.repository.ofLead(query.leadId!);
    const subject = query.contactId ? { contactId: query.contactId } : { leadId: query.leadId! };
    return { service: 'customers', subject, generatedAt: new Date().toISOString(), records };
  }
}
