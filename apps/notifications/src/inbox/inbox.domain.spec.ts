import { DomainError } from '@crm/domain';
import { inboxKeyFrom, inboxKeyValues, isNotificationId, localeFor, resumeAfter, snoozeUntil, sseComment, sseEvent } from './inbox.domain';

describe('inbox domain', () => {
  const now = new Date('2026-12-01T00:00:00Z');

  it('takes a snooze in the future and at most 30 days ahead', () => {
    expect(snoozeUntil('2026-12-31T00:00:00Z', now)).toEqual(new Date('2026-12-31T00:00:00Z'));
    const fieldOf = (until: string) => {
      try {
        snoozeUntil(until, now);
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        return [(e as DomainError).kind, (e as DomainError).fields?.[0]?.field, (e as DomainError).fields?.[0]?.constraint];
      }
      throw new Error('accepted');
    };
    expect(fieldOf('2026-11-30T23:59:59Z')).toEqual(['invalid', 'until', 'isFuture']);
    expect(fieldOf('2026-12-01T00:00:00Z')).toEqual(['invalid', 'until', 'isFuture']);
    expect(fieldOf('2026-12-31T00:00:01Z')).toEqual(['invalid', 'until', 'maxSnooze']);
    expect(fieldOf('soon')).toEqual(['invalid', 'until', 'isIso8601']);
  });

  it("picks the recipient's locale, else the first zh or en of Accept-Language, else zh-CN", () => {
    expect(localeFor('en', 'zh-CN')).toBe('en');
    expect(localeFor(null, 'fr-FR, en-GB;q=0.8, zh;q=0.5')).toBe('en');
    expect(localeFor(undefined, 'zh-TW,en')).toBe('zh-CN');
    expect(localeFor(null, 'fr')).toBe('zh-CN');
    expect(localeFor('de', undefined)).toBe('zh-CN');
  });

  it('round-trips a page key and refuses foreign cursor values', () => {
    expect(inboxKeyFrom(inboxKeyValues({ read: true, id: '42' }))).toEqual({ read: true, id: '42' });
    expect(inboxKeyFrom(['inbox', 'yes', '42'])).toBeNull();
    expect(inboxKeyFrom(['other', true, '42'])).toBeNull();
    expect(inboxKeyFrom(['inbox', false, '42; drop'])).toBeNull();
  });

  it('knows notification ids and where a stream resumes (the header wins over the query)', () => {
    expect(isNotificationId('1')).toBe(true);
    expect(isNotificationId('0')).toBe(false);
    expect(isNotificationId('1e3')).toBe(false);
    expect(resumeAfter('17', '3')).toBe('17');
    expect(resumeAfter(undefined, '3')).toBe('3');
    expect(resumeAfter(undefined, '0')).toBe('0');
    expect(resumeAfter('garbage', undefined)).toBeNull();
    expect(resumeAfter(undefined, undefined)).toBeNull();
  });

  it('frames events with JSON data on one line, so text cannot forge fields', () => {
    expect(sseEvent('notification', { title: 'a\n\nevent: x' }, '7')).toBe('id: 7\nevent: notification\ndata: {"title":"a\\n\\nevent: x"}\n\n');
    expect(sseEvent('unread-count', { unread: 2 })).toBe('event: unread-count\ndata: {"unread":2}\n\n');
    expect(sseComment('a\nb')).toBe(': a b\n\n');
  });
});
