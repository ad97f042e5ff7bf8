import { changedFields, type FieldChange } from '@crm/audit';

// What the trail compares of each record (bookkeeping and derived search columns left out), and which fields are personal.
export const CONTACT_FIELDS = ['name', 'title', 'emails', 'phones', 'preferredChannel', 'accountIds', 'ownerRepId', 'team', 'mergedInto'] as const;
export const CONTACT_PERSONAL = ['name', 'title', 'emails', 'phones'];
export const ACCOUNT_FIELDS = [
  'name',
  'domains',
  'industry',
  'size',
  'region',
  'taxId',
  'billingAddress',
  'shippingAddress',
  'currency',
  'ownerRepId',
  'team',
  'mergedInto',
] as const;

type Fields = object | null | undefined;

/** A contact's changed fields; a contact's accounts are compared by id whatever shape the read gave them. */
export function contactChanges(before: Fields, after: Fields): FieldChange[] {
  return changedFields(before, after, CONTACT_PERSONAL, CONTACT_FIELDS);
}

export function accountChanges(before: Fields, after: Fields): FieldChange[] {
  return changedFields(before, after, [], ACCOUNT_FIELDS);
}
