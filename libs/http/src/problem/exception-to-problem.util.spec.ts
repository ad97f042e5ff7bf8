import { DomainError } from '@crm/domain';
import { ConflictException, HttpStatus, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { exceptionToProblem } from './exception-to-problem.util';
import { ProblemException } from './problem.exception';

describe('exceptionToProblem', () => {
  it("adds a DomainError's extensions to the body without letting them replace a standard member", () => {
    const error = new DomainError({
      kind: 'conflict',
      code: 'DUPLICATE_WARNING',
      detail: 'Looks like 1 record.',
      extensions: { matches: [{ id: 'a' }], status: 200 },
    });
    const { problem } = exceptionToProblem(error);
    expect(problem).toMatchObject({ status: 409, code: 'DUPLICATE_WARNING', matches: [{ id: 'a' }] });
  });

  it('renders a ProblemException with its code as the problem type', () => {
    const { problem, unexpected } = exceptionToProblem(new ProblemException({ status: 409, code: 'ILLEGAL_TRANSITION', detail: 'A draft cannot ship.' }));
    expect(problem).toEqual({
      type: 'urn:crm:problem:illegal-transition',
      title: 'Conflict',
      status: 409,
      detail: 'A draft cannot ship.',
      code: 'ILLEGAL_TRANSITION',
      errors: undefined,
    });
    expect(unexpected).toBe(false);
  });

  it('renders a plain HttpException as about:blank with the status phrase as title', () => {
    expect(exceptionToProblem(new NotFoundException('Lead 9 not found')).problem).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Lead 9 not found',
      code: 'NOT_FOUND',
    });
    expect(exceptionToProblem(new ConflictException()).problem.detail).toBe('Conflict');
  });

  it('maps a PostgreSQL unique violation to 409 without echoing the duplicate value', () => {
    const driverError = Object.assign(new Error('duplicate key'), { code: '23505', detail: 'Key (email)=(a@b.co) exists' });
    const { problem } = exceptionToProblem(new QueryFailedError('INSERT …', [], driverError));
    expect(problem.status).toBe(HttpStatus.CONFLICT);
    expect(problem.code).toBe('UNIQUE_VIOLATION');
    expect(JSON.stringify(problem)).not.toContain('a@b.co');
  });

  it('hides an unknown error behind a 500 and flags it for the log', () => {
    const { problem, unexpected } = exceptionToProblem(new Error('connect ECONNREFUSED 10.0.0.5:5432 password=s3cret'));
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toMatch(/ECONNREFUSED|s3cret/);
    expect(unexpected).toBe(true);
  });

  it('keeps the 4xx status of a body-parser error', () => {
    const parseError = Object.assign(new SyntaxError('Unexpected token } in JSON'), { status: 400, expose: true });
    expect(exceptionToProblem(parseError).problem.status).toBe(400);
  });
});

describe('exceptionToProblem with domain errors', () => {
  it('maps each kind to its status once, here at the HTTP edge', () => {
    const cases: [DomainError, number, string][] = [
      [DomainError.invalidField('lines[0].discount', 'larger than the line'), 400, 'VALIDATION_FAILED'],
      [DomainError.notFound('order', '42'), 404, 'NOT_FOUND'],
      [DomainError.conflict('ILLEGAL_TRANSITION', 'cannot ship a draft'), 409, 'ILLEGAL_TRANSITION'],
      [DomainError.forbidden('not yours'), 403, 'FORBIDDEN'],
      [new DomainError({ kind: 'stale', detail: 'changed' }), 412, 'PRECONDITION_FAILED'],
    ];
    for (const [error, status, code] of cases) {
      expect(exceptionToProblem(error)).toMatchObject({ problem: { status, code, detail: error.detail }, unexpected: false });
    }
  });

  it('names the invalid fields with the domain constraint', () => {
    expect(exceptionToProblem(DomainError.invalidField('repId', 'unknown rep')).problem.errors).toEqual([
      { field: 'repId', message: 'unknown rep', constraint: 'domain' },
    ]);
  });
});
