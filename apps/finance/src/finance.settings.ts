import { z } from 'zod';
import { auditSettings } from '@crm/audit';
import { setting, type SettingsOf } from '@crm/platform';

const positiveInt = (min: number, max: number) => z.coerce.number().int('must be a whole number').min(min).max(max);

/** Finance's own settings, validated with the platform's at boot (a bad value stops it, naming its variable). */
export const financeSettings = {
  ...auditSettings,
  /** The ERP receivables are pushed to; unset → finance's own tables are the ledger. */
  erpUrl: setting(
    'FINANCE_ERP_URL',
    z.preprocess(
      (v) => (typeof v === 'string' ? v.trim() || undefined : v),
      z
        .string()
        .regex(/^https?:\/\/[^\s/]+/, 'must be an http(s) URL')
        .optional(),
    ),
  ),
  /** Sent as a bearer token. */
  erpToken: setting('FINANCE_ERP_TOKEN', z.string().optional()),
  /** First retry delay within one call; the back-off grows to 8 times this. */
  erpRetryMs: setting('FINANCE_ERP_RETRY_MS', z.coerce.number().int('must be a non-negative integer').min(0, 'must be a non-negative integer').default(250)),
  erpTimeoutMs: setting('FINANCE_ERP_TIMEOUT_MS', positiveInt(100, 120_000).default(5_000)),
  /** HTTP requests per call before the call finds the ERP unavailable. */
  erpMaxAttempts: setting('FINANCE_ERP_MAX_ATTEMPTS', positiveInt(1, 10).default(3)),
  /** Calls in a row that find the ERP unavailable before the circuit opens. */
  erpBreakerFailures: setting('FINANCE_ERP_BREAKER_FAILURES', positiveInt(1, 1_000).default(5)),
  /** How long an open circuit fails calls at once before one probe call goes through. */
  erpBreakerHalfOpenMs: setting('FINANCE_ERP_BREAKER_HALF_OPEN_MS', positiveInt(10, 600_000).default(10_000)),
  /** HMAC key of the ERP's signed payment webhook; unset → the webhook refuses every post. */
  erpWebhookSecret: setting('FINANCE_ERP_WEBHOOK_SECRET', z.string().optional()),
};

export type FinanceSettings = SettingsOf<typeof financeSettings>;
