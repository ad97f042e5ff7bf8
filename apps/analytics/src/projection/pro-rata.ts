import { amountUnits, formatUnits } from '@crm/money';

const HALF_UP_DP = 10n ** 20n;

/** a / b rounded half away from zero to 20 decimal places (big.js's default DP and RM), as units of 10^-20. */
function divide20(a: bigint, b: bigint): bigint {
  const neg = a < 0n !== b < 0n;
  const [n, d] = [a < 0n ? -a : a, b < 0n ? -b : b];
  const q = (n * HALF_UP_DP * 2n + d) / (2n * d);
  return neg ? -q : q;
}

/**
 * Splits an amount across weights to the 4th decimal, largest remainder first (ties: first weight), so the
 * parts always add up to the amount exactly. Zero total weight puts everything on the first part. Each share
 * is taken to 20 decimals (half away from zero) before its remainder is compared, as it was with big.js.
 */
export function allocateProRata(amount: string, weights: readonly string[]): string[] {
  if (!weights.length) throw new RangeError('nothing to allocate to');
  const total = amountUnits(amount);
  const ws = weights.map(amountUnits);
  const wSum = ws.reduce((a, w) => a + w, 0n);
  if (wSum === 0n) return weights.map((_, i) => formatUnits(i === 0 ? total : 0n));
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const exact = ws.map((w) => divide20(abs * w, wSum));
  const floors = exact.map((e) => e / HALF_UP_DP); // BigInt division truncates: big.js's roundDown
  let left = abs - floors.reduce((a, f) => a + f, 0n);
  const order = exact.map((e, i) => ({ i, frac: e - floors[i] * HALF_UP_DP })).sort((a, b) => (a.frac > b.frac ? -1 : a.frac < b.frac ? 1 : a.i - b.i));
  for (const { i } of order) {
    if (left <= 0n) break;
    floors[i] += 1n;
    left -= 1n;
  }
  return floors.map((f) => formatUnits(negative ? -f : f));
}
