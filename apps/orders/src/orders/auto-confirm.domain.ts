import { compareAmounts, parseAmount } from '@crm/money';

/** Per-currency limits under which a submitted order confirms itself (no manager review). */
export type AutoConfirmLimits = ReadonlyMap<string, string>;

/** Parses `USD:1000,EUR:900.50`; an empty value means every order needs a manager's review. The settings name the variable. */
export function parseAutoConfirmLimits(value: string | undefined): AutoConfirmLimits {
  const limits = new Map<string, string>();
  for (const entry of (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^([A-Z]{3}):(\S+)$/.exec(entry);
    if (!match) throw new Error(`"${entry}" is not CURRENCY:amount (e.g. USD:1000)`);
    parseAmount(match[2]);
    limits.set(match[1], match[2]);
  }
  return limits;
}

/** Strictly under the limit: an order of exactly the limit still goes to review. */
export function autoConfirms(limits: AutoConfirmLimits, currency: string, total: string): boolean {
  const limit = limits.get(currency);
  return limit !== undefined && compareAmounts(total, limit) < 0;
}
