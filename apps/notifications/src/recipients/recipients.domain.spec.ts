import { DomainError } from '@crm/domain';
import { decideDirectoryEntry, decideOwnSettings, defaultSettings, directoryScope, localeFromAcceptLanguage, type Recipient } from './recipients.domain';

const rep: Recipient = {
  userId: 'r1',
  name: 'Li Lei',
  email: 'li@example.com',
  roles: ['sales_rep'],
  team: 'east',
  managerId: 'm1',
  locale: 'zh-CN',
  timeZone: null,
  quietHours: { start: '22:00', end: '07:00' },
  digestAt: '08:00',
  active: true,
  source: 'rep',
};

const settings = { locale: 'en' as const, timeZone: 'Europe/Berlin', quietHours: null, digestAt: '09:15' };

describe('locale from Accept-Language', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['en-US,en;q=0.9', 'en'],
    ['fr-FR, en;q=0.5, zh-TW;q=0.8', 'zh-CN'],
    ['de, en-GB;q=0.7', 'en'],
    ['fr, de', 'zh-CN'],
    ['zh;q=0, en;q=0.1', 'en'],
  ])('%s → %s', (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });

  it('gives the defaults of a user without a row', () => {
    expect(defaultSettings('u', 'en', 'Asia/Shanghai')).toEqual({
      userId: 'u',
      locale: 'en',
      timeZone: 'Asia/Shanghai',
      quietHours: null,
      digestAt: null,
      email: null,
    });
  });
});

describe("a user's own settings", () => {
  it('creates a self row for a user the directory does not know', () => {
    expect(decideOwnSettings(undefined, 'u', { ...settings, email: 'u@example.com' })).toMatchObject({
      userId: 'u',
      source: 'self',
      roles: [],
      locale: 'en',
      timeZone: 'Europe/Berlin',
      digestAt: '09:15',
      email: 'u@example.com',
    });
  });

  it("keeps a rep's directory data and email when none is given, and canonicalises the zone", () => {
    const next = decideOwnSettings(rep, 'r1', { ...settings, timeZone: 'asia/shanghai' });
    expect(next).toMatchObject({ source: 'rep', roles: ['sales_rep'], team: 'east', email: 'li@example.com', timeZone: 'Asia/Shanghai', quietHours: null });
  });

  it('refuses a zone Intl does not know, an offset, and an empty quiet window', () => {
    const fields = (s: Parameters<typeof decideOwnSettings>[2]) => {
      try {
        decideOwnSettings(undefined, 'u', s);
      } catch (e) {
        return (e as DomainError).fields?.map((f) => f.field);
      }
    };
    expect(fields({ ...settings, timeZone: 'Mars/Olympus' })).toEqual(['timeZone']);
    expect(fields({ ...settings, timeZone: '+08:00' })).toEqual(['timeZone']);
    expect(fields({ ...settings, quietHours: { start: '22:00', end: '22:00' } })).toEqual(['quietHours.end']);
  });
});

describe('the directory', () => {
  const entry = { name: 'Zhao Min', roles: ['finance'], locale: 'zh-CN' as const, active: true };

  it("creates an admin entry, keeping nobody's quiet hours it does not own", () => {
    expect(decideDirectoryEntry(undefined, 'f1', { ...entry, team: 'fin', timeZone: 'UTC' })).toMatchObject({
      source: 'admin',
      roles: ['finance'],
      team: 'fin',
      timeZone: 'UTC',
      quietHours: null,
    });
  });

  it("keeps a rep's row the reps directory's: source rep, roles only added, locale and zone set, quiet hours kept", () => {
    const next = decideDirectoryEntry(rep, 'r1', { name: 'Li Lei', roles: ['product_team'], locale: 'en', timeZone: 'Asia/Tokyo', active: true });
    expect(next).toMatchObject({ source: 'rep', roles: ['sales_rep', 'product_team'], locale: 'en', timeZone: 'Asia/Tokyo', team: 'east', digestAt: '08:00' });
  });

  it("refuses to change a rep's name, team or active flag (REP_MANAGED_FIELDS)", () => {
    expect(() => decideDirectoryEntry(rep, 'r1', { ...entry, name: 'Other', team: 'west', active: false })).toThrow(
      expect.objectContaining({
        code: 'REP_MANAGED_FIELDS',
        fields: [expect.objectContaining({ field: 'name' }), expect.objectContaining({ field: 'team' }), expect.objectContaining({ field: 'active' })],
      }),
    );
  });

  it('refuses someone as their own manager', () => {
    expect(() => decideDirectoryEntry(undefined, 'f1', { ...entry, managerId: 'f1' })).toThrow(expect.objectContaining({ kind: 'invalid' }));
  });

  it('shows admins everyone, a manager their team, a manager without a team nobody', () => {
    expect(directoryScope({ roles: ['admin'] }, 'east')).toEqual({ kind: 'all', team: 'east' });
    expect(directoryScope({ roles: ['sales_manager'], team: 'east' })).toEqual({ kind: 'team', team: 'east' });
    expect(directoryScope({ roles: ['sales_manager'], team: 'east' }, 'west')).toEqual({ kind: 'none' });
    expect(directoryScope({ roles: ['sales_manager'] })).toEqual({ kind: 'none' });
  });
});
