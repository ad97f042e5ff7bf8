import { z } from 'zod';
import { setting, type SettingsOf } from '@crm/platform';

/** Customers' own settings, validated with the platform's at boot (a bad value stops it, naming its variable). */
export const customersSettings = {
  /** How many candidate records a duplicate warning names at most, per rule. */
  duplicateCandidates: setting('CUSTOMERS_DUPLICATE_CANDIDATES', z.coerce.number().int('must be a whole number').min(1).max(100).default(10)),
};

export type CustomersSettings = SettingsOf<typeof customersSettings>;
