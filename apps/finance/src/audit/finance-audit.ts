import { changedFields, type AuditEntry, type FieldChange } from '@crm/audit';
import { ERASED } from '@crm/privacy';

// What the trail keeps of finance's records, and which fields are personal: a payment's reference is the payer's
// own bank or remittance text. Personal values are sealed with the key of the receivable (one person's).
const PAYMENT_FIELDS = ['receivableId', 'amount', 'currency', 'method', 'reference', 'receivedAt'] as const;
const PAYMENT_PERSONAL = ['reference'];
const RECEIVABLE_PAYMENT_FIELDS = ['paid', 'status'] as const;

type Fields = object | null | undefined;

export const paymentChanges = (payment: Fields): FieldChange[] => changedFields(null, payment, PAYMENT_PERSONAL, PAYMENT_FIELDS);
export const receivablePaidChanges = (before: Fields, after: Fields): FieldChange[] => changedFields(before, after, [], RECEIVABLE_PAYMENT_FIELDS);

/** The fields an erasure scrubbed, old values personal (their key is gone by the time they are written: only the names stay). */
export const erasedChanges = (fields: Record<string, unknown>): FieldChange[] =>
  Object.entries(fields).map(([field, old]) => ({ field, old, new: ERASED, personal: true }));

/** One 'exported' entry per record a person's export returned. */
export const exportedEntries = (records: { recordType: string; recordId: string; keyRecordId?: string }[]): AuditEntry[] =>
  records.map((r) => ({ ...r, action: 'exported', changes: [] }));
