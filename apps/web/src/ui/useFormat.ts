import { useMemo } from 'react';
import { usePreferences } from '../app/preferences';
import { formatCompactMoney, formatDate, formatDateTime, formatMoney, formatNumber, formatPercent, formatRelative } from './format';

/** The formatters bound to the user's language and time zone. */
export function useFormat() {
  const { locale, timeZone } = usePreferences();
  return useMemo(
    () => ({
      locale,
      timeZone,
      money: (amount: string | null | undefined, currency: string | null | undefined) => formatMoney(amount, currency, locale),
      compactMoney: (amount: string | number, currency: string) => formatCompactMoney(amount, currency, locale),
      number: (value: number | string | null | undefined, digits = 0) => formatNumber(value, locale, digits),
      percent: (value: number | string | null | undefined, digits = 1) => formatPercent(value, locale, digits),
      dateTime: (iso: string | null | undefined) => formatDateTime(iso, timeZone, locale),
      date: (value: string | null | undefined) => formatDate(value, timeZone, locale),
      relative: (iso: string | null | undefined) => formatRelative(iso, locale),
    }),
    [locale, timeZone],
  );
}
