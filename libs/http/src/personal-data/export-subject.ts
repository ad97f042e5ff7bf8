import { DomainError } from '@crm/domain';

/** Whose data an export is about: exactly one of the two ids. */
export type PersonalDataSubject = { contactId: string; leadId?: undefined } | { leadId: string; contactId?: undefined };

const EXACTLY_ONE = 'give exactly one of contactId and leadId';

/** The subject of an export query; 400 (`exactlyOne`, on the id to drop or the one missing) unless exactly one id is given. */
export function exportSubject(query: { contactId?: string; leadId?: string }): PersonalDataSubject {
  if (query.contactId && !query.leadId) return { contactId: query.contactId };
  if (query.leadId && !query.contactId) return { leadId: query.leadId };
  throw DomainError.invalidInput(query.contactId ? 'leadId' : 'contactId', 'exactlyOne', EXACTLY_ONE);
}
