import Big from 'big.js';
import { AMOUNT_SCALE, parseAmount } from './amount';

/**
 * Amounts as scaled integers (BigInt, AMOUNT_SCALE fraction digits: 1.25 → 12500n) for hot paths that add or
 * split many amounts: exact like big.js, without its per-operation digit arrays. Prints as formatAmount does.
 */
const UNIT = 10n ** BigInt(AMOUNT_SCALE);
const ZEROS = '0'.repeat(AMOUNT_SCALE);

/** An amount (parseAmount's contract: at most 4 fraction digits) in units; throws like parseAmount on anything else. */
export function amountUnits(value: string): bigint {
  parseAmount(value);
  const dot = value.indexOf('.');
  if (dot < 0) return BigInt(value) * UNIT;
  const frac = value.slice(dot + 1);
  const whole = `${value.slice(0, dot)}${frac}${ZEROS.slice(frac.length)}`;
  return BigInt(whole);
}

/** formatAmount of units: round half-even is moot (units are exact), 2 to 4 fraction digits, never "-0.00". */
export function formatUnits(units: bigint): string {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(AMOUNT_SCALE + 1, '0');
  const cut = digits.length - AMOUNT_SCALE;
  const frac = digits.slice(cut).replace(/0{1,2}$/, '');
  return `${neg ? '-' : ''}${digits.slice(0, cut)}.${frac}`;
}

/** An exact decimal of any precision: digits × 10^-scale. */
export interface Decimal {
  digits: bigint;
  scale: number;
}

const PLAIN = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Any decimal big.js reads ("12.50", "1", "-0.0001", "1e3"), exactly; throws as big.js does on anything else. */
export function parseDecimal(value: string | number): Decimal {
  const text = String(value);
  const m = PLAIN.exec(text);
  if (!m) return parseDecimal(new Big(text).toFixed());
  const frac = m[3] ?? '';
  return { digits: BigInt(`${m[1]}${m[2]}${frac}`), scale: frac.length };
}

/** a + b, exactly, at the larger of the two scales. */
export function addDecimals(a: Decimal, b: Decimal): Decimal {
  if (a.scale === b.scale) return { digits: a.digits + b.digits, scale: a.scale };
  const [lo, hi] = a.scale < b.scale ? [a, b] : [b, a];
  return { digits: lo.digits * 10n ** BigInt(hi.scale - lo.scale) + hi.digits, scale: hi.scale };
}

/** Big#toString of the value: plain notation, no trailing fraction zeros ("12.5", "-3", "0"). */
export function decimalString({ digits, scale }: Decimal): string {
  const neg = digits < 0n;
  let s = (neg ? -digits : digits).toString();
  if (scale > 0) {
    s = s.padStart(scale + 1, '0');
    const frac = s.slice(s.length - scale).replace(/0+$/, '');
    s = frac ? `${s.slice(0, s.length - scale)}.${frac}` : s.slice(0, s.length - scale);
  }
  return neg && s !== '0' ? `-${s}` : s;
}
