import { auditSettings } from '@crm/audit';
import type { SettingsOf } from '@crm/platform';

/** Analytics' own settings, validated with the platform's at boot (a bad value stops it, naming its variable). */
export const analyticsSettings = {
  ...auditSettings,
};

export type AnalyticsSettings = SettingsOf<typeof analyticsSettings>;
