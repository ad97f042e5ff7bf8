import { ValidationError } from 'class-validator';
import { FieldError } from '../problem/problem-details.types';

/** Turns class-validator's error tree into one entry per broken constraint, addressed like `lines[0].quantity`. */
export function flattenValidationErrors(errors: ValidationError[], parentPath = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = joinPath(parentPath, error.property);
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({ field, message, constraint }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

// class-validator names array items by their index; written as `[0]` they read like the JSON they came from.
function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}
