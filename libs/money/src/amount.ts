import { DomainError } from '@crm/domain';
import Big from 'big.js';

/**
 * Money amounts are decimal strings everywhere (events, API, `numeric(19,4)` columns) and are computed
 * with big.js, never with binary floats: 0.1 + 0.2 must be 0.3 to the cent.
 */
export const AMOUNT_SCALE = 4;
const AMOUNT = /^-?\d{1,15}(\.\d{1,4})?$/;

export class InvalidAmountError extends Error {
  override name = 'InvalidAmountError';
}

/** Parses a decimal string as the contracts define it (at most 4 fraction digits); throws on anything else. */
export function parseAmount(value: string): Big {
  if (typeof value !== 'string' || !AMOUNT.test(value)) throw new InvalidAmountError(`not a decimal amount: ${String(value)}`);
  return new Big(value);
}

/** Canonical text: 2 to 4 fraction digits ("12.50", "0.1234"), so every service prints an amount alike. */
export function formatAmount(value: Big | string): string {
  const rounded = new Big(value).round(AMOUNT_SCALE, Big.roundHalfEven);
  // toFixed(4) then drop at most two trailing zeros; `abs` of a zero avoids "-0.00".
  return (rounded.eq(0) ? rounded.abs() : rounded).toFixed(AMOUNT_SCALE).replace(/0{1,2}$/, '');
}

export const sumAmounts = (values: readonly string[]): string => formatAmount(values.reduce((acc, v) => acc.plus(parseAmount(v)), new Big(0)));

export const subtractAmount = (a: string, b: string): string => formatAmount(parseAmount(a).minus(parseAmount(b)));

export const compareAmounts = (a: string, b: string): -1 | 0 | 1 => parseAmount(a).cmp(parseAmount(b)) as -1 | 0 | 1;

export const isPositiveAmount = (value: string): boolean => parseAmount(value).gt(0);

export interface PricedLine {
  quantity: number;
  unitPrice: string;
  /** Amount off the whole line, in the order currency. */
  discount?: string;
}

/** quantity × unit price − discount; a discount larger than the line is a caller error. */
export function lineTotal(line: PricedLine): string {
  const gross = parseAmount(line.unitPrice).times(line.quantity);
  const net = gross.minus(parseAmount(line.discount ?? '0'));
  if (net.lt(0)) throw new InvalidAmountError(`discount ${line.discount} exceeds the line amount ${formatAmount(gross)}`);
  return formatAmount(net);
}

/** A line's amount that cannot be priced, with the index of the line (for a field error such as `lines[2].discount`). */
export class InvalidLineError extends InvalidAmountError {
  override name = 'InvalidLineError';
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(message);
  }
}

/** Prices every line exactly: canonical unit price and discount, and the line total. */
export function priceLines<L extends PricedLine>(lines: readonly L[]): (L & { unitPrice: string; discount: string; lineTotal: string })[] {
  return lines.map((line, index) => {
    try {
      const discount = formatAmount(parseAmount(line.discount ?? '0'));
      return { ...line, unitPrice: formatAmount(parseAmount(line.unitPrice)), discount, lineTotal: lineTotal({ ...line, discount }) };
    } catch (err) {
      throw err instanceof InvalidAmountError ? new InvalidLineError(index, err.message) : err;
    }
  });
}

/**
 * TypeORM column transformer for `numeric(19,4)` money columns: pg returns them as text, and they are printed
 * the way every service prints money.
 */
export const amountColumn = {
  to: (value: string | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : formatAmount(value)),
};

/** A product line as a command names it: what the orders and opportunities of every service price. */
export interface ProductLineInput {
  sku: string;
  productName: string;
  quantity: number;
  unitPrice: string;
  discount?: string;
}

export interface PricedProductLine {
  sku: string;
  productName: string;
  quantity: number;
  unitPrice: string;
  discount: string;
  lineTotal: string;
}

/** Prices each product line exactly (nothing else of the input is kept); a discount larger than its line is an invalid `lines[i].discount`. */
export function priceProductLines(lines: readonly ProductLineInput[]): PricedProductLine[] {
  try {
    return priceLines(lines).map(({ sku, productName, quantity, unitPrice, discount, lineTotal }) => ({
      sku,
      productName,
      quantity,
      unitPrice,
      discount,
      lineTotal,
    }));
  } catch (err) {
    if (err instanceof InvalidLineError) throw DomainError.invalidField(`lines[${err.index}].discount`, err.message);
    throw err;
  }
}
