import { z } from 'zod';
import { auditSettings } from '@crm/audit';
import { setting, type SettingsOf } from '@crm/platform';
import { HOUR_MS } from './reminders/reminder.domain';

/** The service's own settings, validated with the platform's at boot (a bad value stops it, naming its variable). */
export const opportunitiesSettings = {
  ...auditSettings,
  /** For a converted lead that names no currency. */
  defaultCurrency: setting(
    'OPPORTUNITIES_DEFAULT_CURRENCY',
    z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')
      .default('USD'),
  ),
  /** A converted lead without an expected close date is expected to close this many days after conversion. */
  defaultCloseDays: setting(
    'OPPORTUNITIES_DEFAULT_CLOSE_DAYS',
    z.coerce.number().int('must be a positive whole number of days').positive('must be a positive whole number of days').default(90),
  ),
  /** How often the stage-overdue scan looks for opportunities past their stage's time limit (default 10 min). */
  stageScanIntervalMs: setting('OPPORTUNITIES_STAGE_SCAN_INTERVAL_MS', z.coerce.number().int().min(500).max(86_400_000).default(600_000)),
  /** The length of one hour of a stage's `timeLimitHours`: shortened only to compress time in demos and system tests. */
  stageHourMs: setting('OPPORTUNITIES_STAGE_HOUR_MS', z.coerce.number().int().min(100).max(HOUR_MS).default(HOUR_MS)),
};

export type OpportunitiesSettings = SettingsOf<typeof opportunitiesSettings>;
