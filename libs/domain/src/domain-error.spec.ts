import { DomainError } from './domain-error';
import { expectVersion } from './version';

describe('DomainError', () => {
  it('gives each kind its default code and keeps an explicit one', () => {
    expect(DomainError.notFound('order', '42')).toMatchObject({ kind: 'not_found', code: 'NOT_FOUND', detail: 'No order 42.' });
    expect(DomainError.conflict('ILLEGAL_TRANSITION', 'no')).toMatchObject({ kind: 'conflict', code: 'ILLEGAL_TRANSITION' });
    expect(DomainError.invalidField('lines[0].discount', 'too big')).toMatchObject({
      kind: 'invalid',
      code: 'VALIDATION_FAILED',
      fields: [{ field: 'lines[0].discount', message: 'too big' }],
    });
  });

  it('words a change to an erased record alike in every service', () => {
    expect(DomainError.erased('lead', 'L1')).toMatchObject({
      kind: 'conflict',
      code: 'ERASED_RECORD',
      detail: 'The lead L1 was erased; it can no longer be changed.',
    });
  });

  it('says its reason in one line, fields included', () => {
    expect(DomainError.invalidField('repId', 'unknown rep').reason).toBe('VALIDATION_FAILED: The request has invalid fields. (repId: unknown rep)');
  });
});

describe('expectVersion', () => {
  it('passes the current version or no expectation, refuses another as stale', () => {
    expect(() => expectVersion(3, 3)).not.toThrow();
    expect(() => expectVersion(3, undefined)).not.toThrow();
    expect(() => expectVersion(4, 3)).toThrow(expect.objectContaining({ kind: 'stale', code: 'PRECONDITION_FAILED' }));
  });
});

describe('DomainError.invalidInput', () => {
  it('names one field with its constraint, worded as request validation words it', () => {
    expect(DomainError.invalidInput('repId', 'isUuid', 'repId must be a UUID')).toMatchObject({
      kind: 'invalid',
      code: 'VALIDATION_FAILED',
      detail: 'The request has 1 invalid field.',
      fields: [{ field: 'repId', constraint: 'isUuid', message: 'repId must be a UUID' }],
    });
  });
});
