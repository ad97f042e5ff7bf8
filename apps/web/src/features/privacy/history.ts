// How an audit entry reads in the History panel: each changed field as "old → new", values shown as the API gives
// them (a masked `l•••@acme.example` or `[erased]` stays exactly that), an empty value as a dash.
import type { components } from '@crm/api-client';

export type AuditEntry = components['schemas']['AuditRecordDto'];
export type AuditChange = components['schemas']['AuditChangeView'];
export type AuditService = 'leads' | 'customers';

export const EMPTY = '—';

/** One value of a change as text: lists joined, objects as compact JSON, nothing as a dash. */
export function auditValue(value: AuditChange['old']): string {
  if (value === null || value === undefined || value === '') return EMPTY;
  if (Array.isArray(value)) return value.length ? value.map(String).join(', ') : EMPTY;
  if (typeof value === 'object') return Object.keys(value).length ? JSON.stringify(value) : EMPTY;
  return String(value);
}

/**
 * The changes worth a line: a field whose old and new read the same (an id list reordered, say) is left out, but
 * never a personal one, whose two masked values may read the same (`h•••@acme.example`) though the field changed.
 */
export function changeLines(changes: readonly AuditChange[]): { field: string; old: string; new: string; personal: boolean }[] {
  return changes
    .map((c) => ({ field: c.field, old: auditValue(c.old), new: auditValue(c.new), personal: c.personal }))
    .filter((c) => c.personal || c.old !== c.new);
}

/** Newest first, whatever order the pages arrived in (the API's order is by append, which is the same). */
export function newestFirst(entries: readonly AuditEntry[]): AuditEntry[] {
  return [...entries].sort((a, b) => (a.at === b.at ? Number(b.id) - Number(a.id) : b.at.localeCompare(a.at)));
}

/** The file name of a person's export: `personal-data-lead-<id>.json`. */
export function exportFileName(subject: { leadId: string } | { contactId: string }): string {
  return 'leadId' in subject ? `personal-data-lead-${subject.leadId}.json` : `personal-data-contact-${subject.contactId}.json`;
}
