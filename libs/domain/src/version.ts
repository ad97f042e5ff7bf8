import { DomainError } from './domain-error';

/** The entity tag of a version as the API shows it (a strong ETag, RFC 9110 §13.1.1). */
export const versionTag = (version: number): string => `"${version}"`;

/** Refuses a change decided on a version that is no longer current (optimistic concurrency, HTTP 412). */
export function expectVersion(current: number, expected: number | undefined): void {
  if (expected === undefined || current === expected) return;
  throw new DomainError({
    kind: 'stale',
    detail: `The resource has changed (it is at ETag ${versionTag(current)}, the request expected ${versionTag(expected)}); read it again and retry.`,
  });
}
