import { DomainError, expectVersion } from '@crm/domain';

/**
 * A PUT that creates or replaces a record by its key. Without If-Match it may only create: replacing what the
 * caller never read would lose someone else's change. With If-Match it may only replace the version it names.
 */
export function decideCreateOrReplace(
  what: string,
  id: string,
  current: { version: number } | undefined,
  expectedVersion: number | undefined,
): 'create' | 'replace' {
  if (current === undefined) {
    if (expectedVersion === undefined) return 'create';
    throw new DomainError({ kind: 'stale', detail: `There is no ${what} ${id} at ETag "${expectedVersion}"; it was removed. Read it again and retry.` });
  }
  if (expectedVersion === undefined) {
    throw DomainError.conflict('ALREADY_EXISTS', `The ${what} ${id} exists; send If-Match with the ETag you last read to replace it.`);
  }
  expectVersion(current.version, expectedVersion);
  return 'replace';
}
