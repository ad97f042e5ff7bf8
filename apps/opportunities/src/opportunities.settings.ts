import { z } from 'zod';
import { setting, type SettingsOf } from '@crm/platform';

/** The service's own settings, validated with the platform's at boot (a bad value stops it, naming its variable). */
export const opportunitiesSettings = {
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
};

export type OpportunitiesSettings = SettingsOf<typeof opportunitiesSettings>;
