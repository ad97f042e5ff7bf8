import { HttpStatus } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { exceptionToProblem } from '../problem/exception-to-problem.util';
import { ProblemException } from '../problem/problem.exception';
import { createValidationPipe, nulFields } from './validation.pipe';

describe('NUL characters (PostgreSQL text cannot hold U+0000)', () => {
  it('finds them in strings and keys at any depth, addressed like the JSON', () => {
    expect(nulFields({ name: 'ok', lines: [{ sku: 'A' }, { sku: 'B\u0000' }], note: { 'k\u0000': 1 } })).toEqual(['lines[1].sku', 'note.k\u0000']);
    expect(nulFields('x\u0000', 'id')).toEqual(['id']);
    expect(nulFields({ a: 'fine', b: [1, null, true] })).toEqual([]);
  });

  it('the edge pipe refuses a body, query or path value holding one with 400 VALIDATION_FAILED', async () => {
    const pipe = createValidationPipe();
    for (const [value, type, data, field] of [
      [{ team: 'east\u0000' }, 'query', undefined, 'team'],
      [{ customer: { name: '\u0000' } }, 'body', undefined, 'customer.name'],
      ['abc\u0000', 'param', 'id', 'id'],
    ] as const) {
      const error = await pipe.transform(value, { type, data }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProblemException);
      expect((error as ProblemException).getStatus()).toBe(HttpStatus.BAD_REQUEST);
      expect((error as ProblemException).errors).toEqual([expect.objectContaining({ field, constraint: 'noNulCharacter' })]);
    }
    await expect(pipe.transform({ team: 'east' }, { type: 'query' })).resolves.toEqual({ team: 'east' });
  });

  it("a NUL or bad byte that still reaches PostgreSQL is the client's 400, not a 500", () => {
    for (const code of ['22021', '22P05']) {
      const driverError = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code });
      const { problem, unexpected } = exceptionToProblem(new QueryFailedError('SELECT …', [], driverError));
      expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(unexpected).toBe(false);
    }
  });
});
