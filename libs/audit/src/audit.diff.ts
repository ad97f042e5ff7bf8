/** One field of a change: its value before and after, and whether it is personal data (stored sealed). */
export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
  personal: boolean;
}

// Bookkeeping every table has: it changes with each save and says nothing about what the person changed.
const BOOKKEEPING = new Set(['id', 'version', 'createdAt', 'updatedAt', 'searchText']);

type Fields = object | null | undefined;
const valueOf = (record: Fields, field: string): unknown => (record ? (record as Record<string, unknown>)[field] : undefined);

/** A value as JSON stores it: instants as ISO strings, undefined as null. */
export function plain(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/**
 * The fields whose value differs between `before` and `after` (compared as JSON; a creation has no `before`, a
 * deletion no `after`), in the order given or else the records' own, bookkeeping left out. `personalFields` marks
 * which ones carry personal data.
 */
export function changedFields(before: Fields, after: Fields, personalFields: readonly string[], fields?: readonly string[]): FieldChange[] {
  const names = fields ?? [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter((f) => !BOOKKEEPING.has(f));
  const changes: FieldChange[] = [];
  for (const field of names) {
    const old = plain(valueOf(before, field));
    const next = plain(valueOf(after, field));
    if (JSON.stringify(old) === JSON.stringify(next)) continue;
    changes.push({ field, old, new: next, personal: personalFields.includes(field) });
  }
  return changes;
}

/**
 * The fields an erasure scrubbed, without their values: recorded once the record's key is destroyed, the entry
 * says which personal fields went and never what they held (they read "[erased]").
 */
export function erasedFields(fields: readonly string[]): FieldChange[] {
  return fields.map((field) => ({ field, old: null, new: null, personal: true }));
}
