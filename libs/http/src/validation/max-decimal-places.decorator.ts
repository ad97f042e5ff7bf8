import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Digits after the decimal point of a finite number, exponent notation included (5e-324 has 324).
 * class-validator's `IsNumber({ maxDecimalPlaces })` splits `String(value)` on "." and throws a TypeError (a 500)
 * on such values; use `@IsNumber() @MaxDecimalPlaces(n)` instead.
 */
export function decimalPlaces(value: number): number {
  if (!Number.isFinite(value)) return Number.POSITIVE_INFINITY;
  const [mantissa, exponent] = value.toExponential().split('e');
  return Math.max(0, (mantissa.split('.')[1] ?? '').length - Number(exponent));
}

export function MaxDecimalPlaces(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxDecimalPlaces',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value === 'number' && decimalPlaces(value) <= max,
        defaultMessage: () => `$property must have at most ${max} decimal places`,
      },
    },
    options,
  );
}
