import { HttpStatus, ValidationPipe } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { HttpProblemCode } from '../problem/problem-code.enum';
import { ProblemException } from '../problem/problem.exception';
import { flattenValidationErrors } from './flatten-validation-errors.util';

// A body with thousands of bad items must not turn into a multi-megabyte error body.
export const MAX_FIELD_ERRORS = 100;

/**
 * The edge validation every service uses. Bad input answers 400 (not 422) so that every "fix your request"
 * answer — malformed JSON, bad query, bad cursor, bad If-Match — has one status; `errors` says what to fix.
 * Implicit conversion stays off: a query DTO says `@Type(() => Number)` where it wants a number.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // The rejected values are never echoed back: they may be personal data.
    validationError: { target: false, value: false },
    exceptionFactory: validationProblem,
  });
}

export function validationProblem(validationErrors: ValidationError[]): ProblemException {
  const all = flattenValidationErrors(validationErrors);
  const errors = all.slice(0, MAX_FIELD_ERRORS);
  const shown = all.length > errors.length ? ` (the first ${errors.length} are listed)` : '';
  return new ProblemException({
    status: HttpStatus.BAD_REQUEST,
    code: HttpProblemCode.ValidationFailed,
    detail: `The request has ${all.length} invalid field${all.length === 1 ? '' : 's'}${shown}.`,
    errors,
  });
}
