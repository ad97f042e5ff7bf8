import { validateCronExpression } from 'cron';
import { z } from 'zod';
import { auditSettings } from '@crm/audit';
import { setting, type SettingsOf } from '@crm/platform';

/** Customers' own settings, validated with the platform's at boot (a bad value stops it, naming its variable). */
export const customersSettings = {
  ...auditSettings,
  /** How many candidate records a duplicate warning names at most, per rule. */
  duplicateCandidates: setting('CUSTOMERS_DUPLICATE_CANDIDATES', z.coerce.number().int('must be a whole number').min(1).max(100).default(10)),
  /** How many days a merge can be undone. */
  mergeUndoDays: setting('CUSTOMERS_MERGE_UNDO_DAYS', z.coerce.number().int('must be a whole number').min(1).max(3650).default(30)),
  /** When the duplicate scan runs (cron, server time); nightly at 03:00 by default. */
  duplicateScanCron: setting(
    'CUSTOMERS_DUPLICATE_SCAN_CRON',
    z
      .string()
      .trim()
      .refine((v) => validateCronExpression(v).valid, 'must be a cron expression such as "0 3 * * *"')
      .default('0 3 * * *'),
  ),
};

export type CustomersSettings = SettingsOf<typeof customersSettings>;
