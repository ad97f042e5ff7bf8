// Money and time as the user reads them. Amounts arrive as decimal strings (exact to the cent) and are shown
// without passing through a float: Intl formats the string itself. Times are shown in the zone the user picked
// (Beijing, UTC or the device's), dates as the API sends them (a calendar date has no zone).

export type TimeZoneChoice = 'Asia/Shanghai' | 'UTC' | 'local';
export const TIME_ZONES: readonly TimeZoneChoice[] = ['Asia/Shanghai', 'UTC', 'local'];

const zoneOf = (choice: TimeZoneChoice) => (choice === 'local' ? undefined : choice);

/** `¥12,345.60` / `US$1,200.00`; a missing amount is an en dash. */
export function formatMoney(amount: string | null | undefined, currency: string | null | undefined, locale: string): string {
  if (amount === null || amount === undefined || amount === '') return '–';
  if (!currency) return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount as unknown as number);
  // Intl.NumberFormat accepts a decimal string and keeps every digit of it (no float in between).
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount as unknown as number);
}

/** A compact amount for chart axes and cards: `¥1.2M`, `¥120万`. */
export function formatCompactMoney(amount: string | number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(amount as number);
}

export function formatNumber(value: number | string | null | undefined, locale: string, fractionDigits = 0): string {
  if (value === null || value === undefined || value === '') return '–';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: fractionDigits }).format(value as number);
}

/** A share (0.125) as `12.5%`. */
export function formatPercent(value: number | string | null | undefined, locale: string, fractionDigits = 1): string {
  if (value === null || value === undefined || value === '') return '–';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: fractionDigits }).format(Number(value));
}

/** `2026-12-04 15:30` in the chosen zone. */
export function formatDateTime(iso: string | null | undefined, zone: TimeZoneChoice, locale: string): string {
  if (!iso) return '–';
  return new Intl.DateTimeFormat(locale, {
    timeZone: zoneOf(zone),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** A calendar date (`2026-12-04`) as the locale writes it; a timestamp is first placed in the chosen zone. */
export function formatDate(value: string | null | undefined, zone: TimeZoneChoice, locale: string): string {
  if (!value) return '–';
  const calendarDate = /^\d{4}-\d{2}-\d{2}$/.test(value);
  return new Intl.DateTimeFormat(locale, {
    timeZone: calendarDate ? 'UTC' : zoneOf(zone),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(calendarDate ? `${value}T00:00:00Z` : value));
}

/** Today's calendar date in the chosen zone (`YYYY-MM-DD`), as the API's date filters take it. */
export function todayIn(zone: TimeZoneChoice, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zoneOf(zone), year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** "in 3 hours" / "2 天前" relative to now. */
export function formatRelative(iso: string | null | undefined, locale: string, now = Date.now()): string {
  if (!iso) return '–';
  const diff = new Date(iso).getTime() - now;
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (abs < 3_600_000) return rtf.format(Math.round(diff / 60_000), 'minute');
  if (abs < 86_400_000) return rtf.format(Math.round(diff / 3_600_000), 'hour');
  return rtf.format(Math.round(diff / 86_400_000), 'day');
}
