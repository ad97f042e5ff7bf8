import { addDays, dayOf, offsetMs } from '@crm/calendar';

const DAY_S = 86_400;

/** `HH:MM[:SS]` (a PostgreSQL `time`) as seconds after midnight. */
export function secondsOf(time: string): number {
  const match = /^(\d{2}):(\d{2})(?::(\d{2}))?/.exec(time);
  if (!match) throw new RangeError(`not a time of day: ${time}`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0);
}

/** The local calendar day and the seconds since its midnight at an instant, in a zone. */
export function localClock(now: Date, zone: string): { day: string; seconds: number } {
  const wall = now.getTime() + offsetMs(now, zone);
  return { day: dayOf(now, zone), seconds: Math.floor((((wall % 86_400_000) + 86_400_000) % 86_400_000) / 1000) };
}

/** The instant a local wall-clock time of a day happens in the zone (the later reading where DST skips it). */
export function instantAt(day: string, seconds: number, zone: string): Date {
  const wall = Date.parse(`${day}T00:00:00Z`) + seconds * 1000;
  const guess = wall - offsetMs(wall, zone);
  return new Date(wall - offsetMs(guess, zone));
}

/**
 * When a recipient's quiet hours end, if `now` falls inside them; null when it does not (or they have none).
 * `start`/`end` are local times in the recipient's zone; start > end spans midnight (22:00–07:00), start = end
 * means no quiet hours. The end is exclusive: at 07:00 sharp mail goes out.
 */
export function quietUntil(now: Date, zone: string, start: string | null, end: string | null): Date | null {
  if (!start || !end) return null;
  const s = secondsOf(start);
  const e = secondsOf(end);
  if (s === e) return null;
  const { day, seconds } = localClock(now, zone);
  const inside = s < e ? seconds >= s && seconds < e : seconds >= s || seconds < e;
  if (!inside) return null;
  // Spanning midnight and still before it: the quiet ends on the next local day.
  const endDay = s > e && seconds >= s ? addDays(day, 1) : day;
  return instantAt(endDay, e % DAY_S, zone);
}

/**
 * The local day whose digest is due at `now`: today once the recipient's `digest_at` has passed in their
 * zone, else null. That it goes once per day is the ledger's: one row per `digestKey`.
 */
export function digestDueDay(now: Date, zone: string, digestAt: string | null): string | null {
  if (!digestAt) return null;
  const { day, seconds } = localClock(now, zone);
  return seconds >= secondsOf(digestAt) ? day : null;
}

export const DIGEST_PREFIX = 'digest:';

/** The ledger key of one recipient's digest of one local day. */
export const digestKey = (userId: string, day: string) => `${DIGEST_PREFIX}${userId}:${day}`;

/** The recipient of a digest row, from its key (user ids may hold colons; the day never does). */
export function digestUserOf(dedupeKey: string): string | null {
  if (!dedupeKey.startsWith(DIGEST_PREFIX)) return null;
  const rest = dedupeKey.slice(DIGEST_PREFIX.length);
  const cut = rest.lastIndexOf(':');
  return cut > 0 ? rest.slice(0, cut) : null;
}
