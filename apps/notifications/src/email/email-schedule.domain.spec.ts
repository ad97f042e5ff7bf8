import { digestDueDay, digestKey, digestUserOf, instantAt, quietUntil } from './email-schedule.domain';

const at = (iso: string) => new Date(iso);

describe('quiet hours', () => {
  it('defers to the end of a same-day window in the recipient’s zone', () => {
    // 13:30 in Shanghai (05:30 UTC), quiet 12:00–14:00 local → until 14:00 local = 06:00 UTC.
    expect(quietUntil(at('2025-03-10T05:30:00Z'), 'Asia/Shanghai', '12:00:00', '14:00:00')).toEqual(at('2025-03-10T06:00:00Z'));
    // The same instant is 05:30 in UTC: outside 12:00–14:00 there.
    expect(quietUntil(at('2025-03-10T05:30:00Z'), 'UTC', '12:00:00', '14:00:00')).toBeNull();
  });

  it('spans midnight: late evening waits for the next morning, the small hours for this morning', () => {
    // 23:00 Shanghai (15:00 UTC) in 22:00–07:00 → 07:00 Shanghai next day = 23:00 UTC.
    expect(quietUntil(at('2025-03-10T15:00:00Z'), 'Asia/Shanghai', '22:00', '07:00')).toEqual(at('2025-03-10T23:00:00Z'));
    // 02:00 Shanghai on the 11th (18:00 UTC on the 10th) → 07:00 Shanghai on the 11th.
    expect(quietUntil(at('2025-03-10T18:00:00Z'), 'Asia/Shanghai', '22:00', '07:00')).toEqual(at('2025-03-10T23:00:00Z'));
    // The same window read in UTC: 23:00 UTC on the 10th → 07:00 UTC on the 11th.
    expect(quietUntil(at('2025-03-10T23:00:00Z'), 'UTC', '22:00', '07:00')).toEqual(at('2025-03-11T07:00:00Z'));
  });

  it('lets mail go outside the window, at its end exactly, and when there are no quiet hours', () => {
    expect(quietUntil(at('2025-03-10T04:00:00Z'), 'Asia/Shanghai', '22:00', '07:00')).toBeNull(); // 12:00 local
    expect(quietUntil(at('2025-03-10T23:00:00Z'), 'Asia/Shanghai', '22:00', '07:00')).toBeNull(); // 07:00 local
    expect(quietUntil(at('2025-03-10T14:00:00Z'), 'Asia/Shanghai', '22:00', '07:00')).toEqual(at('2025-03-10T23:00:00Z')); // 22:00 local
    expect(quietUntil(at('2025-03-10T23:00:00Z'), 'UTC', null, '07:00')).toBeNull();
    expect(quietUntil(at('2025-03-10T23:00:00Z'), 'UTC', '07:00', '07:00')).toBeNull();
  });

  it('finds the local end across a DST change', () => {
    // New York moves to EDT on 2025-03-09 at 02:00; quiet 22:00–07:00 from 23:00 EST on the 8th ends 07:00 EDT = 11:00 UTC.
    expect(quietUntil(at('2025-03-09T04:00:00Z'), 'America/New_York', '22:00', '07:00')).toEqual(at('2025-03-09T11:00:00Z'));
    expect(instantAt('2025-01-15', 7 * 3600, 'America/New_York')).toEqual(at('2025-01-15T12:00:00Z'));
  });
});

describe('daily digest', () => {
  it('is due once the local digest time has passed that local day', () => {
    // 08:30 Shanghai on the 11th is 00:30 UTC: due for the 11th there, not yet in UTC (still the 11th, 00:30 < 08:00).
    expect(digestDueDay(at('2025-03-11T00:30:00Z'), 'Asia/Shanghai', '08:00:00')).toBe('2025-03-11');
    expect(digestDueDay(at('2025-03-11T00:30:00Z'), 'UTC', '08:00:00')).toBeNull();
    expect(digestDueDay(at('2025-03-11T08:00:00Z'), 'UTC', '08:00:00')).toBe('2025-03-11');
  });

  it('names the local day, not the UTC one', () => {
    // 23:30 UTC on the 10th is 07:30 on the 11th in Shanghai.
    expect(digestDueDay(at('2025-03-10T23:30:00Z'), 'Asia/Shanghai', '07:00')).toBe('2025-03-11');
    expect(digestDueDay(at('2025-03-10T23:30:00Z'), 'Asia/Shanghai', '08:00')).toBeNull();
  });

  it('is never due without a digest time', () => {
    expect(digestDueDay(at('2025-03-10T23:30:00Z'), 'UTC', null)).toBeNull();
  });

  it('keys one digest per recipient and local day, and reads the recipient back', () => {
    expect(digestKey('u:1', '2025-03-11')).toBe('digest:u:1:2025-03-11');
    expect(digestUserOf(digestKey('u:1', '2025-03-11'))).toBe('u:1');
    expect(digestUserOf('42:email')).toBeNull();
  });
});
