import { z } from 'zod';
import { auditSettings } from '@crm/audit';
import { setting, type SettingsOf } from '@crm/platform';
import { HOUR_MS } from './assignment/assignment.domain';

/** The leads service's own settings, validated at boot with the platform's (a bad value names its variable). */
export const leadsSettings = {
  ...auditSettings,
  /** HMAC key the website signs its form posts with; unset = the web-form intake refuses everything. */
  webFormSecret: setting('LEADS_WEBFORM_SECRET', z.string().optional()),
  /** How often the SLA scan looks for late leads (default 5 min). */
  slaScanIntervalMs: setting('LEADS_SLA_SCAN_INTERVAL_MS', z.coerce.number().int().min(500).max(86_400_000).default(300_000)),
  /** The length of one hour of a rule's `followUpHours`: shortened only to compress time in demos and system tests. */
  slaHourMs: setting('LEADS_SLA_HOUR_MS', z.coerce.number().int().min(100).max(HOUR_MS).default(HOUR_MS)),
  /** How long before the first-follow-up deadline the owner is warned, in minutes of that hour (default 30; 0 = no warning). */
  /** The console's development sign-in (pick a rep and a role, get a local token); never in production. */
  devSignIn: setting(
    'DEV_SIGN_IN',
    z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  ),
  slaWarningMinutes: setting('LEADS_SLA_WARNING_MINUTES', z.coerce.number().int().min(0).max(10_080).default(30)),
  /** Days after its disqualification a lead's personal data is erased (default 730; 0 = never). */
  retentionDisqualifiedDays: setting('RETENTION_DISQUALIFIED_LEADS_DAYS', z.coerce.number().int().min(0).max(36_500).default(730)),
  /** Days without a follow-up or a change after which a lead never converted is erased (default 1095; 0 = never). */
  retentionUnconvertedDays: setting('RETENTION_UNCONVERTED_LEADS_DAYS', z.coerce.number().int().min(0).max(36_500).default(1095)),
};

export type LeadsSettings = SettingsOf<typeof leadsSettings>;
