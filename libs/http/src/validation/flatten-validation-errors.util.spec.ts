import { HttpStatus } from '@nestjs/common';
import { plainToInstance, Type } from 'class-transformer';
import { IsArray, IsEmail, IsInt, IsString, Min, ValidateNested, validateSync } from 'class-validator';
import { flattenValidationErrors } from './flatten-validation-errors.util';
import { MAX_FIELD_ERRORS, validationProblem } from './validation.pipe';

class LineDto {
  @IsString() sku: string;
  @IsInt() @Min(1) quantity: number;
}

class CustomerDto {
  @IsEmail() email: string;
}

class OrderDto {
  @ValidateNested() @Type(() => CustomerDto) customer: CustomerDto;
  @IsArray() @ValidateNested({ each: true }) @Type(() => LineDto) lines: LineDto[];
}

function errorsFor(plain: object) {
  return validateSync(plainToInstance(OrderDto, plain), { whitelist: true, forbidNonWhitelisted: true });
}

describe('flattenValidationErrors', () => {
  it('addresses nested objects with dots and array items with [index]', () => {
    const errors = errorsFor({
      customer: { email: 'nope' },
      lines: [
        { sku: 'A', quantity: 0 },
        { sku: 'B', quantity: 2 },
        { sku: 7, quantity: 1 },
      ],
    });
    expect(flattenValidationErrors(errors)).toEqual(
      expect.arrayContaining([
        { field: 'customer.email', message: 'email must be an email', constraint: 'isEmail' },
        { field: 'lines[0].quantity', message: 'quantity must not be less than 1', constraint: 'min' },
        { field: 'lines[2].sku', message: 'sku must be a string', constraint: 'isString' },
      ]),
    );
    expect(flattenValidationErrors(errors)).toHaveLength(3);
  });

  it('lists every broken constraint of a field, and unknown fields at any depth', () => {
    const errors = errorsFor({ customer: { email: 'a@b.co', vip: true }, lines: [{ sku: 'A', quantity: 'x' }], coupon: 'X' });
    const fields = flattenValidationErrors(errors).map(({ field, constraint }) => `${field}:${constraint}`);
    expect(fields.sort()).toEqual(
      ['coupon:whitelistValidation', 'customer.vip:whitelistValidation', 'lines[0].quantity:isInt', 'lines[0].quantity:min'].sort(),
    );
  });
});

describe('validationProblem', () => {
  it('is a 400 VALIDATION_FAILED problem carrying the field errors', () => {
    const problem = validationProblem(errorsFor({ customer: { email: 'x' }, lines: [] }));
    expect(problem.getStatus()).toBe(HttpStatus.BAD_REQUEST);
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors).toEqual([{ field: 'customer.email', message: 'email must be an email', constraint: 'isEmail' }]);
  });

  it(`lists at most ${MAX_FIELD_ERRORS} errors and says how many there were`, () => {
    const lines = Array.from({ length: 150 }, () => ({ sku: 'A', quantity: 0 }));
    const problem = validationProblem(errorsFor({ customer: { email: 'a@b.co' }, lines }));
    expect(problem.errors).toHaveLength(MAX_FIELD_ERRORS);
    expect(problem.detail).toContain('150 invalid fields');
  });
});
