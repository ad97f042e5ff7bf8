import { HttpStatus } from '@nestjs/common';
import { HttpProblemCode } from '../problem/problem-code.enum';
import { ProblemException } from '../problem/problem.exception';

export type CursorValue = string | number | boolean | null;

// Far above any real keyset (a few values), low enough that a cursor cannot be used to ship megabytes.
export const MAX_CURSOR_LENGTH = 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Opaque to clients: base64url of a JSON array, so it survives a query string unescaped. */
export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** The values `encodeCursor` was given; anything else (tampered, truncated, foreign) is a 400 on `cursor`. */
export function decodeCursor(cursor: string): CursorValue[] {
  // Node's base64 decoder skips characters it does not know, so the alphabet is checked first.
  if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) {
    throw invalidCursorProblem();
  }
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursorProblem();
  }
  if (!Array.isArray(values) || values.length === 0 || !values.every(isCursorValue)) throw invalidCursorProblem();
  return values;
}

export function invalidCursorProblem(message = 'cursor is not a cursor this list issued'): ProblemException {
  return new ProblemException({
    status: HttpStatus.BAD_REQUEST,
    code: HttpProblemCode.InvalidCursor,
    detail: 'The page cursor is invalid; start again from the first page.',
    errors: [{ field: 'cursor', message, constraint: 'isCursor' }],
  });
}

function isCursorValue(value: unknown): value is CursorValue {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}
