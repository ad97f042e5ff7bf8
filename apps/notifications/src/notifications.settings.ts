import { z } from 'zod';
import { auditSettings } from '@crm/audit';
import { setting, type SettingsOf } from '@crm/platform';

const ms = (min: number, max: number) => z.coerce.number().int('must be a whole number of milliseconds').min(min).max(max);
const count = (min: number, max: number) => z.coerce.number().int('must be a whole number').min(min).max(max);

/** Notifications' own settings, validated with the platform's at boot (a bad value stops it, naming its variable). */
export const notificationsSettings = {
  ...auditSettings,
  /** Where email goes: `smtp://host:port` or `smtps://user:pass@host:port`. Locally the project's own mailbox. */
  smtpUrl: setting('SMTP_URL', z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).default('smtp://127.0.0.1:2525')),
  /** The sender of every email. */
  mailFrom: setting('NOTIFICATIONS_MAIL_FROM', z.string().min(3).default('Sales CRM <crm@localhost>')),
  /**
   * The longest the email and webhook dispatchers sleep when nothing woke them: a commit's NOTIFY, the next row
   * coming due (a retry, a deferred email, a lease running out) and a LISTEN connection coming back all wake them.
   */
  dispatchIntervalMs: setting('NOTIFICATIONS_DISPATCH_INTERVAL_MS', ms(50, 600_000).default(30_000)),
  /** Attempts of one email before it is dead-lettered. */
  emailMaxAttempts: setting('NOTIFICATIONS_EMAIL_MAX_ATTEMPTS', count(1, 50).default(6)),
  /** Emails one replica sends at a time (one ledger row per worker); 0: this replica sends none. */
  emailWorkers: setting('NOTIFICATIONS_EMAIL_WORKERS', count(0, 32).default(4)),
  /** How long a claimed email row is this replica's; past it (a crashed sender) another claims it and resends. */
  emailLeaseMs: setting('NOTIFICATIONS_EMAIL_LEASE_MS', ms(1_000, 3_600_000).default(120_000)),
  /** The first email retry's delay; each next one doubles, with jitter, up to an hour. */
  emailBaseDelayMs: setting('NOTIFICATIONS_EMAIL_BASE_DELAY_MS', ms(10, 3_600_000).default(30_000)),
  /** Connect, greeting and socket timeout of the SMTP connection: well below the lease, so a hung send fails first. */
  smtpTimeoutMs: setting('NOTIFICATIONS_SMTP_TIMEOUT_MS', ms(100, 300_000).default(30_000)),
  /** How often recipients' daily digests are looked for. */
  digestIntervalMs: setting('NOTIFICATIONS_DIGEST_INTERVAL_MS', ms(100, 3_600_000).default(60_000)),
  /** The console's base URL, for the links in emails. */
  consoleUrl: setting('NOTIFICATIONS_CONSOLE_URL', z.url().default('http://localhost:8080')),
  /** Attempts of one webhook message before it is dead-lettered (replayable). */
  webhookMaxAttempts: setting('NOTIFICATIONS_WEBHOOK_MAX_ATTEMPTS', count(1, 50).default(8)),
  /** The first retry's delay; each next one doubles, with jitter, up to an hour. */
  webhookBaseDelayMs: setting('NOTIFICATIONS_WEBHOOK_BASE_DELAY_MS', ms(10, 3_600_000).default(5_000)),
  /** A webhook answer slower than this is a failed attempt. */
  webhookTimeoutMs: setting('NOTIFICATIONS_WEBHOOK_TIMEOUT_MS', ms(100, 60_000).default(10_000)),
  /** Consecutive dead-lettered messages after which an endpoint is disabled and its owner told. */
  webhookDisableAfter: setting('NOTIFICATIONS_WEBHOOK_DISABLE_AFTER', count(1, 1000).default(5)),
  /** How long the secrets a rotation replaced still sign every message, so receivers can switch over. */
  webhookSecretOverlapHours: setting('NOTIFICATIONS_WEBHOOK_SECRET_OVERLAP_HOURS', count(0, 24 * 30).default(24)),
  /** How often due next actions, overdue next actions and unacknowledged alerts are looked for. */
  scanIntervalMs: setting('NOTIFICATIONS_SCAN_INTERVAL_MS', ms(100, 3_600_000).default(30_000)),
  /** How long after its due time a next action with no newer follow-up counts as overdue. */
  nextActionOverdueHours: setting('NOTIFICATIONS_NEXT_ACTION_OVERDUE_HOURS', count(1, 24 * 30).default(24)),
  /** An event older than this when it arrives updates the copies but tells nobody (a replay, a new consumer group). */
  maxEventAgeHours: setting('NOTIFICATIONS_MAX_EVENT_AGE_HOURS', count(1, 24 * 365).default(48)),
  /** Comment lines on an idle live stream, so proxies keep it open. */
  sseHeartbeatMs: setting('NOTIFICATIONS_SSE_HEARTBEAT_MS', ms(100, 120_000).default(15_000)),
};

export type NotificationsSettings = SettingsOf<typeof notificationsSettings>;
export const NOTIFICATIONS_SETTINGS = Symbol('NOTIFICATIONS_SETTINGS');
