import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../problem/problem.exception';
import { decodeCursor, encodeCursor } from './cursor-codec.util';

function problemOf(run: () => unknown): ProblemException {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemException) return error;
    throw error;
  }
  throw new Error('expected a ProblemException');
}

describe('cursor codec', () => {
  it('round-trips the values it encodes', () => {
    const values = ['createdAt:DESC', '2025-01-01 10:00:00.123456+00', 'a1b2', 42, true, null];
    expect(decodeCursor(encodeCursor(values))).toEqual(values);
  });

  it('produces base64url, safe in a query string without escaping', () => {
    const cursor = encodeCursor(['??>>??', 'ÿÿÿ~~~']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['characters outside base64url', 'abc+/='],
    ['base64url that is not JSON', Buffer.from('not json').toString('base64url')],
    ['JSON that is not an array', Buffer.from('{"a":1}').toString('base64url')],
    ['an empty array', Buffer.from('[]').toString('base64url')],
    ['an array holding objects', Buffer.from('[{"a":1}]').toString('base64url')],
    ['an oversized cursor', 'A'.repeat(2000)],
  ])('rejects %s with a 400 field error on cursor', (_case, cursor) => {
    const problem = problemOf(() => decodeCursor(cursor));
    expect(problem.getStatus()).toBe(HttpStatus.BAD_REQUEST);
    expect(problem.code).toBe('INVALID_CURSOR');
    expect(problem.errors).toEqual([expect.objectContaining({ field: 'cursor', constraint: 'isCursor' })]);
  });
});
