import { canonicalTimeZone } from '@crm/calendar';
import { DomainError, type DomainFieldIssue } from '@crm/domain';
import type { Locale } from '../catalogue/catalogue';

/** Where a recipient row came from: rep.upserted, an admin, or the user's own settings. */
export type RecipientSource = 'rep' | 'admin' | 'self';

export interface QuietHours {
  start: string;
  end: string;
}

export interface Recipient {
  userId: string;
  name: string | null;
  email: string | null;
  roles: string[];
  team: string | null;
  managerId: string | null;
  locale: Locale;
  timeZone: string | null;
  quietHours: QuietHours | null;
  digestAt: string | null;
  active: boolean;
  source: RecipientSource;
}

export interface StoredRecipient extends Recipient {
  version: number;
}

/** What a user sets for themselves (`/notification-settings`). */
export interface DeliverySettings {
  locale: Locale;
  timeZone: string;
  quietHours: QuietHours | null;
  digestAt: string | null;
  email?: string;
}

/** What an admin sets in the directory (`/recipients/:userId`). */
export interface DirectoryEntry {
  name: string;
  email?: string | null;
  roles: string[];
  team?: string | null;
  managerId?: string | null;
  locale: Locale;
  timeZone?: string | null;
  active: boolean;
}

/** An IANA zone name (offsets like `+08:00` are refused: they ignore daylight saving), canonicalised. */
function timeZoneOrIssue(field: string, zone: string, issues: DomainFieldIssue[]): string | null {
  const canonical = /^[A-Za-z]/.test(zone) ? canonicalTimeZone(zone) : null;
  if (!canonical) issues.push({ field, message: `${field} must be an IANA time zone such as Asia/Shanghai`, constraint: 'isTimeZone' });
  return canonical;
}

/** The first zh or en language the client accepts, by its q-values; anything else reads Chinese. */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  const ranked = (header ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { tag, q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((l) => l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'zh-CN';
}

/** What a user without a row gets: their language, the business time zone, no quiet hours, no digest. */
export function defaultSettings(userId: string, acceptLanguage: string | undefined, businessTimeZone: string) {
  return { userId, locale: localeFromAcceptLanguage(acceptLanguage), timeZone: businessTimeZone, quietHours: null, digestAt: null, email: null };
}

/** The user's own settings on their row, or a new row (source 'self'); who they are in the directory is kept. */
export function decideOwnSettings(current: Recipient | undefined, userId: string, s: DeliverySettings): Recipient {
  const issues: DomainFieldIssue[] = [];
  const timeZone = timeZoneOrIssue('timeZone', s.timeZone, issues);
  if (s.quietHours && s.quietHours.start === s.quietHours.end) {
    issues.push({ field: 'quietHours.end', message: 'quietHours.end must differ from quietHours.start', constraint: 'quietWindow' });
  }
  if (issues.length) throw DomainError.invalidFields(issues);
  const base: Recipient = current ?? { userId, name: null, email: null, roles: [], team: null, managerId: null, active: true, source: 'self', ...NONE };
  return { ...base, locale: s.locale, timeZone, quietHours: s.quietHours, digestAt: s.digestAt, email: s.email ?? base.email };
}

const NONE = { locale: 'zh-CN' as Locale, timeZone: null, quietHours: null, digestAt: null };

/** What rep.upserted keeps for a rep: an admin may add roles and set the language and zone, not change these. */
const REP_FIELDS = ['name', 'email', 'team', 'managerId', 'active'] as const;

/**
 * An admin's entry for someone in the directory. A rep's row stays the reps directory's (source 'rep'): its
 * roles can only grow, and a changed name, email, team, manager or active flag is refused (409
 * REP_MANAGED_FIELDS); those change in leads and arrive by rep.upserted. The user's own quiet hours and
 * digest time are never touched here.
 */
export function decideDirectoryEntry(current: Recipient | undefined, userId: string, e: DirectoryEntry): Recipient {
  const issues: DomainFieldIssue[] = [];
  const timeZone = e.timeZone ? timeZoneOrIssue('timeZone', e.timeZone, issues) : null;
  if (e.managerId === userId) issues.push({ field: 'managerId', message: 'managerId must be someone else', constraint: 'notSelf' });
  if (issues.length) throw DomainError.invalidFields(issues);
  const personal = { quietHours: current?.quietHours ?? null, digestAt: current?.digestAt ?? null };
  if (current?.source === 'rep') {
    const changed = REP_FIELDS.filter((f) => e[f] !== undefined && e[f] !== current[f]);
    if (changed.length) {
      throw new DomainError({
        kind: 'conflict',
        code: 'REP_MANAGED_FIELDS',
        detail: `${userId} is a rep: ${changed.join(', ')} come${changed.length === 1 ? 's' : ''} from the reps directory and change there.`,
        fields: changed.map((f) => ({ field: f, message: `${f} of a rep comes from rep.upserted`, constraint: 'repManaged' })),
      });
    }
    return { ...current, ...personal, roles: [...new Set([...current.roles, ...e.roles])], locale: e.locale, timeZone };
  }
  return {
    userId,
    name: e.name,
    email: e.email ?? null,
    roles: [...new Set(e.roles)],
    team: e.team ?? null,
    managerId: e.managerId ?? null,
    locale: e.locale,
    timeZone,
    active: e.active,
    source: 'admin',
    ...personal,
  };
}

export type DirectoryScope = { kind: 'all'; team?: string } | { kind: 'team'; team: string } | { kind: 'none' };

/** Admins see everyone (optionally one team); a manager sees their own team, and a manager without one nobody. */
export function directoryScope(user: { roles: string[]; team?: string }, teamFilter?: string): DirectoryScope {
  if (user.roles.includes('admin')) return { kind: 'all', team: teamFilter };
  if (!user.team || (teamFilter !== undefined && teamFilter !== user.team)) return { kind: 'none' };
  return { kind: 'team', team: user.team };
}
