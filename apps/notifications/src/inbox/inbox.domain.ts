import { DomainError } from '@crm/domain';
import { LOCALES, type Locale } from '../catalogue/catalogue';

/** Which notifications a list shows; the default hides archived ones. */
export const INBOX_STATUSES = ['unread', 'read', 'archived', 'all'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

/** The longest a notification may be snoozed. */
export const MAX_SNOOZE_MS = 30 * 24 * 3_600_000;

/** A position in the list order (unread first, then newest): whether the row was read, and its id. */
export interface InboxKey {
  read: boolean;
  id: string;
}

const ID = /^[1-9]\d{0,17}$/;

/** A notification id as the routes take it: a positive bigint in decimal; anything else names no notification. */
export const isNotificationId = (v: unknown): v is string => typeof v === 'string' && ID.test(v);

/** The page key a cursor carries, or null when the values are not one this list issued. */
export function inboxKeyFrom(values: unknown[]): InboxKey | null {
  const [tag, read, id] = values;
  return values.length === 3 && tag === 'inbox' && typeof read === 'boolean' && isNotificationId(id) ? { read, id } : null;
}

export const inboxKeyValues = (key: InboxKey) => ['inbox', key.read, key.id];

/** When a snooze ends: in the future and at most 30 days ahead, else a field error on `until`. */
export function snoozeUntil(until: string, now: Date): Date {
  const at = new Date(until);
  if (Number.isNaN(at.getTime())) throw DomainError.invalidInput('until', 'isIso8601', 'until must be an ISO 8601 date-time');
  if (at.getTime() <= now.getTime()) throw DomainError.invalidInput('until', 'isFuture', 'until must be in the future');
  if (at.getTime() - now.getTime() > MAX_SNOOZE_MS) throw DomainError.invalidInput('until', 'maxSnooze', 'until must be at most 30 days ahead');
  return at;
}

/**
 * The language a notification is rendered in: the recipient's own setting, else the first zh or en of the
 * request's Accept-Language, else zh-CN.
 */
export function localeFor(recipientLocale: string | null | undefined, acceptLanguage: string | undefined): Locale {
  if (recipientLocale && (LOCALES as readonly string[]).includes(recipientLocale)) return recipientLocale as Locale;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0].trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

/** The id a stream resumes after (Last-Event-ID header, else `lastEventId`), or null to start from now. */
export function resumeAfter(header: string | undefined, query: string | undefined): string | null {
  const v = (header ?? query)?.trim();
  if (v === '0') return '0';
  return isNotificationId(v) ? v : null;
}

/** One Server-Sent Event; `data` is JSON on one line, so no field can break the framing. */
export function sseEvent(event: string, data: unknown, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const sseComment = (text: string) => `: ${text.replace(/[\r\n]/g, ' ')}\n\n`;
export const sseRetry = (ms: number) => `retry: ${Math.round(ms)}\n\n`;

/** Compares two bigint ids given as decimal strings. */
export const idAfter = (a: string, b: string) => BigInt(a) > BigInt(b);
