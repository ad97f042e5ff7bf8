import { DomainError } from '@crm/domain';
import { decideCreateOrReplace } from './replace.domain';

const kindOf = (run: () => unknown) => {
  try {
    run();
  } catch (e) {
    return (e as DomainError).code;
  }
  return 'passed';
};

describe('decideCreateOrReplace', () => {
  it('creates what is absent when no If-Match is sent', () => {
    expect(decideCreateOrReplace('rule', 'a', undefined, undefined)).toBe('create');
  });

  it('replaces the version the If-Match names', () => {
    expect(decideCreateOrReplace('rule', 'a', { version: 3 }, 3)).toBe('replace');
  });

  it('refuses to overwrite an existing record without If-Match (409 ALREADY_EXISTS)', () => {
    expect(kindOf(() => decideCreateOrReplace('rule', 'a', { version: 1 }, undefined))).toBe('ALREADY_EXISTS');
  });

  it('refuses a stale or vanished version (412)', () => {
    expect(kindOf(() => decideCreateOrReplace('rule', 'a', { version: 4 }, 3))).toBe('PRECONDITION_FAILED');
    expect(kindOf(() => decideCreateOrReplace('rule', 'a', undefined, 3))).toBe('PRECONDITION_FAILED');
  });
});
