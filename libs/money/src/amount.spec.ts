import {
  amountColumn,
  compareAmounts,
  formatAmount,
  InvalidAmountError,
  isPositiveAmount,
  lineTotal,
  parseAmount,
  priceLines,
  priceProductLines,
  subtractAmount,
  sumAmounts,
} from './amount';

describe('money amounts', () => {
  it('adds exactly where floats do not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumAmounts(['0.1', '0.2'])).toBe('0.30');
    expect(sumAmounts(Array.from({ length: 1000 }, () => '0.01'))).toBe('10.00');
    expect(sumAmounts([])).toBe('0.00');
  });

  it('prints 2 to 4 fraction digits', () => {
    expect(formatAmount('12.5')).toBe('12.50');
    expect(formatAmount('12.3450')).toBe('12.345');
    expect(formatAmount('0.1234')).toBe('0.1234');
    expect(formatAmount('1250.0000')).toBe('1250.00');
    expect(formatAmount('-3')).toBe('-3.00');
    expect(formatAmount('-0')).toBe('0.00');
  });

  it('computes a line as quantity × price − discount', () => {
    expect(lineTotal({ quantity: 3, unitPrice: '19.99', discount: '5' })).toBe('54.97');
    expect(lineTotal({ quantity: 7, unitPrice: '0.0001' })).toBe('0.0007');
    expect(() => lineTotal({ quantity: 1, unitPrice: '10', discount: '10.01' })).toThrow(InvalidAmountError);
  });

  it('subtracts and compares', () => {
    expect(subtractAmount('100', '33.33')).toBe('66.67');
    expect(compareAmounts('10.00', '10')).toBe(0);
    expect(compareAmounts('9.99', '10')).toBe(-1);
    expect(isPositiveAmount('0.0001')).toBe(true);
    expect(isPositiveAmount('0')).toBe(false);
  });

  it.each(['1e3', '1.23456', '', 'abc', '1,5', ' 1'])('refuses %p', (bad) => {
    expect(() => parseAmount(bad)).toThrow(InvalidAmountError);
  });
});

describe('priceLines', () => {
  it('prices every line and names the line that cannot be priced', () => {
    const priced = priceLines([
      { sku: 'A', quantity: 2, unitPrice: '10.5' },
      { sku: 'B', quantity: 1, unitPrice: '3', discount: '1' },
    ]);
    expect(priced).toEqual([
      { sku: 'A', quantity: 2, unitPrice: '10.50', discount: '0.00', lineTotal: '21.00' },
      { sku: 'B', quantity: 1, unitPrice: '3.00', discount: '1.00', lineTotal: '2.00' },
    ]);
    expect(() =>
      priceLines([
        { quantity: 1, unitPrice: '1' },
        { quantity: 1, unitPrice: '1', discount: '2' },
      ]),
    ).toThrow(expect.objectContaining({ name: 'InvalidLineError', index: 1 }));
  });

  it('prints money columns canonically', () => {
    expect(amountColumn.from('1250.0000')).toBe('1250.00');
    expect(amountColumn.from(null)).toBeNull();
  });
});

describe('priceProductLines', () => {
  it('keeps only the product fields, priced exactly', () => {
    const [line] = priceProductLines([{ sku: 'A', productName: 'Chair', quantity: 3, unitPrice: '10.5', discount: '1', extra: 'x' } as never]);
    expect(line).toEqual({ sku: 'A', productName: 'Chair', quantity: 3, unitPrice: '10.50', discount: '1.00', lineTotal: '30.50' });
  });

  it('refuses a discount larger than its line as an invalid field naming the line', () => {
    const lines = [
      { sku: 'A', productName: 'Chair', quantity: 1, unitPrice: '10' },
      { sku: 'B', productName: 'Desk', quantity: 1, unitPrice: '5', discount: '6' },
    ];
    expect(() => priceProductLines(lines)).toThrow(
      expect.objectContaining({ kind: 'invalid', fields: [expect.objectContaining({ field: 'lines[1].discount' })] }),
    );
  });
});
