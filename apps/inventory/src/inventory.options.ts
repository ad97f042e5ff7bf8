import { z } from 'zod';
import { auditSettings } from '@crm/audit';
import { setting, type SettingsOf } from '@crm/platform';

/** Inventory's own settings, validated at boot with the platform's; a bad value stops the boot naming its variable. */
export const inventorySettings = {
  ...auditSettings,
  /** Absent: the built-in ledger is the stock of record. */
  erpUrl: setting('INVENTORY_ERP_URL', z.url({ protocol: /^https?$/ }).optional()),
  erpToken: setting('INVENTORY_ERP_TOKEN', z.string().min(1).optional()),
  /** Per HTTP request. */
  erpTimeoutMs: setting('INVENTORY_ERP_TIMEOUT_MS', z.coerce.number().int().min(100).max(120_000).default(5_000)),
  /** HTTP requests per call before the call finds the ERP unavailable. */
  erpMaxAttempts: setting('INVENTORY_ERP_MAX_ATTEMPTS', z.coerce.number().int().min(1).max(10).default(3)),
  /** First retry delay; the back-off grows to 8 times this. */
  erpBackoffMs: setting('INVENTORY_ERP_BACKOFF_MS', z.coerce.number().int().min(0).max(60_000).default(300)),
  erpSyncIntervalMs: setting('INVENTORY_ERP_SYNC_INTERVAL_MS', z.coerce.number().int().min(1_000).default(300_000)),
  /** Calls in a row that find the ERP unavailable before the circuit opens. */
  erpBreakerFailures: setting('INVENTORY_ERP_BREAKER_FAILURES', z.coerce.number().int().min(1).max(1_000).default(5)),
  /** How long an open circuit fails calls at once before one probe call goes through. */
  erpBreakerHalfOpenMs: setting('INVENTORY_ERP_BREAKER_HALF_OPEN_MS', z.coerce.number().int().min(10).max(600_000).default(10_000)),
  /** HMAC key of the ERP's signed stock webhook; unset = the webhook refuses every post. */
  erpWebhookSecret: setting('INVENTORY_ERP_WEBHOOK_SECRET', z.string().optional()),
};
export type InventorySettings = SettingsOf<typeof inventorySettings>;

/** How the HTTP ERP connector talks to the ERP; absent means the built-in ledger is the stock of record. */
export interface ErpSettings {
  url: string;
  token?: string;
  /** Per HTTP request. */
  timeoutMs: number;
  /** HTTP attempts per call before the connector gives up (DependencyUnavailableError). */
  maxAttempts: number;
  backoff: { initialMs: number; maxMs: number };
  breaker: { failures: number; halfOpenAfterMs: number };
  /** How often the stock levels of the ERP are pulled into the local mirror. */
  syncIntervalMs: number;
}

export interface InventoryOptions {
  erp: ErpSettings | null;
  erpWebhookSecret?: string;
}

export const INVENTORY_OPTIONS = Symbol('INVENTORY_OPTIONS');

/** The ERP connection the settings describe: none without INVENTORY_ERP_URL. */
export function inventoryOptions(settings: InventorySettings): InventoryOptions {
  const erpWebhookSecret = settings.erpWebhookSecret || undefined;
  if (!settings.erpUrl) return { erp: null, erpWebhookSecret };
  return {
    erpWebhookSecret,
    erp: {
      url: settings.erpUrl.replace(/\/+$/, ''),
      token: settings.erpToken,
      timeoutMs: settings.erpTimeoutMs,
      maxAttempts: settings.erpMaxAttempts,
      backoff: { initialMs: settings.erpBackoffMs, maxMs: settings.erpBackoffMs * 8 },
      breaker: { failures: settings.erpBreakerFailures, halfOpenAfterMs: settings.erpBreakerHalfOpenMs },
      syncIntervalMs: settings.erpSyncIntervalMs,
    },
  };
}
