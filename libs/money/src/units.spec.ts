import Big from 'big.js';
import { formatAmount, InvalidAmountError } from './amount';
import { addDecimals, amountUnits, decimalString, formatUnits, parseDecimal } from './units';

// Deterministic pseudo-random amounts (no seed library needed): a linear congruential generator.
function* amounts(n: number, seed = 7): Generator<string> {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
  for (let i = 0; i < n; i++) {
    const whole = String(next() % 10 ** (1 + (next() % 9)));
    const fracDigits = next() % 5;
    const frac = fracDigits ? `.${String(next()).padStart(fracDigits, '0').slice(0, fracDigits)}` : '';
    yield `${next() % 3 === 0 ? '-' : ''}${whole}${frac}`;
  }
}

describe('amount units', () => {
  it('reads amounts as 4-digit units and prints them as formatAmount does', () => {
    expect(amountUnits('12.5')).toBe(125000n);
    expect(amountUnits('-0.0001')).toBe(-1n);
    expect(amountUnits('1250')).toBe(12500000n);
    expect(formatUnits(125000n)).toBe('12.50');
    expect(formatUnits(1234n)).toBe('0.1234');
    expect(formatUnits(-30000n)).toBe('-3.00');
    expect(formatUnits(0n)).toBe('0.00');
    expect(formatUnits(-1n)).toBe('-0.0001');
    for (const a of amounts(2000)) expect(formatUnits(amountUnits(a))).toBe(formatAmount(a));
  });

  it.each(['1e3', '1.23456', '', 'abc', '1,5', ' 1'])('refuses %p as parseAmount does', (bad) => {
    expect(() => amountUnits(bad)).toThrow(InvalidAmountError);
  });
});

describe('decimals', () => {
  it('adds exactly and prints as Big#toString', () => {
    const list = [...amounts(500, 11)];
    let sum = parseDecimal('0');
    let big = new Big(0);
    for (const a of list) {
      sum = addDecimals(sum, parseDecimal(a));
      big = big.plus(a);
      expect(decimalString(sum)).toBe(big.toString());
    }
    expect(decimalString(addDecimals(parseDecimal('0.1'), parseDecimal('0.2')))).toBe('0.3');
    expect(decimalString(addDecimals(parseDecimal('-12.50'), parseDecimal('12.5')))).toBe('0');
    expect(decimalString(addDecimals(parseDecimal('-0.05'), parseDecimal('0.0400')))).toBe('-0.01');
  });

  it('reads what big.js reads, exponents included', () => {
    expect(decimalString(parseDecimal('1e3'))).toBe('1000');
    expect(decimalString(parseDecimal(0.35))).toBe('0.35');
    expect(decimalString(parseDecimal('-2.5e-3'))).toBe('-0.0025');
    expect(() => parseDecimal('abc')).toThrow();
  });
});
