import { type ArgumentMetadata, HttpStatus, ValidationPipe } from '@nestjs/common';
import type { FieldError } from '../problem/problem-details.types';
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
  return new EdgeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // The rejected values are never echoed back: they may be personal data.
    validationError: { target: false, value: false },
    exceptionFactory: validationProblem,
  });
}

/**
 * PostgreSQL text cannot hold U+0000: a NUL that reached a query would fail it with a 500. It is refused here,
 * for every body, query and path value, with the fields that carry it.
 */
class EdgeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const fields = nulFields(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
      if (fields.length) {
        const errors: FieldError[] = fields
          .slice(0, MAX_FIELD_ERRORS)
          .map((field) => ({ field, constraint: 'noNulCharacter', message: `${field || 'value'} must not contain NUL (U+0000)` }));
        throw new ProblemException({
          status: HttpStatus.BAD_REQUEST,
          code: HttpProblemCode.ValidationFailed,
          detail: `The request has ${fields.length} invalid field${fields.length === 1 ? '' : 's'}.`,
          errors,
        });
      }
    }
    return super.transform(value, metadata);
  }
}

/** Paths (`lines[0].sku`) of the strings and keys holding U+0000; bounded in depth like the bodies it reads. */
export function nulFields(value: unknown, path = '', depth = 0): string[] {
  // Nearly every value has none: a walk that builds no paths answers that (it runs on every consumed event too).
  return hasNul(value, depth) ? nulPaths(value, path, depth) : [];
}

function hasNul(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((item) => hasNul(item, depth + 1));
  for (const key of Object.keys(value)) if (key.includes('\u0000') || hasNul((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

function nulPaths(value: unknown, path: string, depth: number): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path] : [];
  if (depth > 32 || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => nulPaths(item, `${path}[${i}]`, depth + 1));
  return Object.entries(value).flatMap(([key, item]) => {
    const child = path ? `${path}.${key}` : key;
    return key.includes('\u0000') ? [child] : nulPaths(item, child, depth + 1);
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
