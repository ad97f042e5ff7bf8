import { validateSync } from 'class-validator';
import { decimalPlaces, MaxDecimalPlaces } from './max-decimal-places.decorator';

class Discount {
  @MaxDecimalPlaces(2) percent: unknown;
}
const errorsFor = (percent: unknown) => validateSync(Object.assign(new Discount(), { percent })).length;

describe('MaxDecimalPlaces', () => {
  it('counts decimals in plain and exponent notation', () => {
    expect([7.5, 0.01, 123.45, 100, 1e21, 5e-324, 1.5e-7].map(decimalPlaces)).toEqual([1, 2, 2, 0, 0, 324, 8]);
  });

  it('accepts up to the maximum and refuses more, exponent notation included, without throwing', () => {
    expect([7.5, 0.01, 100, 0].map(errorsFor)).toEqual([0, 0, 0, 0]);
    expect([0.001, 5e-324, 1e-7, Number.NaN, Number.POSITIVE_INFINITY, '7.5'].map(errorsFor)).toEqual([1, 1, 1, 1, 1, 1]);
  });
});
