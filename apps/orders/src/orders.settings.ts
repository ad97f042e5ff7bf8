import { z } from 'zod';
import { auditSettings } from '@crm/audit';
import { setting, type SettingsOf } from '@crm/platform';
import { parseAutoConfirmLimits } from './orders/auto-confirm.domain';

/** The orders service's own settings, validated at boot with the platform's (a bad value names its variable). */
export const ordersSettings = {
  ...auditSettings,
  /** `USD:1000,EUR:900`: a submitted order strictly under its currency's limit confirms without review; unset: every order is reviewed. */
  autoConfirmLimits: setting(
    'ORDERS_AUTO_CONFIRM_LIMITS',
    z
      .string()
      .default('')
      .transform((value, ctx) => {
        try {
          return parseAutoConfirmLimits(value);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
          return z.NEVER;
        }
      }),
  ),
};

export type OrdersSettings = SettingsOf<typeof ordersSettings>;
