import { DomainError, type DomainFieldIssue } from './domain-error';

/** A record's moments in the order they must have happened; an absent one did not happen. */
export type Moments = readonly (readonly [field: string, at: string | undefined])[];

/**
 * Checks that a historical record's moments follow each other and none lies in the future: each present
 * moment is at or after the previous present one and at or before `now`. Field names are relative to the record.
 */
export function chronologyIssues(moments: Moments, now: Date): DomainFieldIssue[] {
  const issues: DomainFieldIssue[] = [];
  let previous: { field: string; ms: number } | undefined;
  for (const [field, at] of moments) {
    if (at === undefined) continue;
    const ms = Date.parse(at);
    if (ms > now.getTime()) issues.push({ field, message: `${field} must not be in the future`, constraint: 'notInFuture' });
    else if (previous && ms < previous.ms) issues.push({ field, message: `${field} must not be before ${previous.field}`, constraint: 'chronology' });
    previous = { field, ms: Math.max(ms, previous?.ms ?? ms) };
  }
  return issues;
}

/** The problems of every record of an import at once, addressed like `leads[3].qualifiedAt`; throws if any. */
export function refuseInvalidRecords(list: string, problems: readonly DomainFieldIssue[][]): void {
  const fields = problems.flatMap((issues, i) => issues.map((f) => ({ ...f, field: f.field ? `${list}[${i}].${f.field}` : `${list}[${i}]` })));
  if (fields.length) throw DomainError.invalidFields(fields);
}

/** Duplicate external ids within one import: the later ones are refused (one record, one id). */
export function duplicateIssues(externalIds: readonly string[]): DomainFieldIssue[][] {
  const seen = new Set<string>();
  return externalIds.map((id) => {
    const dup = seen.has(id);
    seen.add(id);
    return dup ? [{ field: 'externalId', message: `externalId ${id} appears twice in this import`, constraint: 'unique' }] : [];
  });
}
