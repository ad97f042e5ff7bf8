import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../problem/problem.exception';
import { assertVersion, etagFor, parseIfMatch } from './etag.util';

function statusOf(run: () => unknown): number {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemException) return error.getStatus();
    throw error;
  }
  return 0;
}

describe('etagFor', () => {
  it('is a strong ETag: the version in double quotes', () => {
    expect(etagFor(7)).toBe('"7"');
  });
});

describe('parseIfMatch', () => {
  it('reads the version from a strong ETag', () => {
    expect(parseIfMatch('"12"')).toBe(12);
    expect(parseIfMatch(etagFor(3))).toBe(3);
  });

  it('asks for the header with 428 when it is missing', () => {
    expect(statusOf(() => parseIfMatch(undefined))).toBe(HttpStatus.PRECONDITION_REQUIRED);
  });

  it.each(['3', 'W/"3"', '*', '"3", "4"', '"abc"', '"-1"'])('rejects %s as malformed with 400', (header) => {
    expect(statusOf(() => parseIfMatch(header))).toBe(HttpStatus.BAD_REQUEST);
  });
});

describe('assertVersion', () => {
  it('passes when the client edited the current version', () => {
    expect(() => assertVersion(4, 4)).not.toThrow();
  });

  it('answers 412 with a stable code when the version is stale', () => {
    expect.assertions(2);
    try {
      assertVersion(5, 4);
    } catch (error) {
      expect((error as ProblemException).getStatus()).toBe(HttpStatus.PRECONDITION_FAILED);
      expect((error as ProblemException).code).toBe('PRECONDITION_FAILED');
    }
  });
});
