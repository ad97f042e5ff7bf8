import { z } from 'zod';

/** How the HTTP ERP connector talks to the ERP; absent means the built-in ledger is the stock of record. */
export interface ErpSettings {
  url: string;
  token?: string;
  /** Per HTTP request. */
  timeoutMs: number;
  /** HTTP attempts per call before the connector gives up (DependencyUnavailableError). */
  maxAttempts: number;
  backoff: { initialMs: number; maxMs: number };
  /** How often the stock levels of the ERP are pulled into the local mirror. */
  syncIntervalMs: number;
}

export interface InventoryOptions {
  erp: ErpSettings | null;
  /** HMAC key of the ERP's signed stock webhook (INVENTORY_ERP_WEBHOOK_SECRET); unset = the webhook refuses every post. */
  erpWebhookSecret?: string;
}

export const INVENTORY_OPTIONS = Symbol('INVENTORY_OPTIONS');

const schema = z.object({
  url: z.url({ protocol: /^https?$/ }).optional(),
  token: z.string().min(1).optional(),
  timeoutMs: z.coerce.number().int().min(100).max(120_000).default(5_000),
  maxAttempts: z.coerce.number().int().min(1).max(10).default(3),
  backoffMs: z.coerce.number().int().min(0).max(60_000).default(300),
  syncIntervalMs: z.coerce.number().int().min(1_000).default(300_000),
});

/**
 * INVENTORY_ERP_URL (absent: built-in ledger), INVENTORY_ERP_TOKEN, INVENTORY_ERP_TIMEOUT_MS,
 * INVENTORY_ERP_MAX_ATTEMPTS, INVENTORY_ERP_BACKOFF_MS, INVENTORY_ERP_SYNC_INTERVAL_MS. A bad value stops the boot.
 */
export function loadInventoryOptions(env: NodeJS.ProcessEnv = process.env): InventoryOptions {
  const parsed = schema.safeParse({
    url: env.INVENTORY_ERP_URL || undefined,
    token: env.INVENTORY_ERP_TOKEN || undefined,
    timeoutMs: env.INVENTORY_ERP_TIMEOUT_MS || undefined,
    maxAttempts: env.INVENTORY_ERP_MAX_ATTEMPTS || undefined,
    backoffMs: env.INVENTORY_ERP_BACKOFF_MS || undefined,
    syncIntervalMs: env.INVENTORY_ERP_SYNC_INTERVAL_MS || undefined,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `INVENTORY_ERP_${snake(String(i.path[0]))}: ${i.message}`).join('; ');
    throw new Error(`invalid inventory configuration: ${problems}`);
  }
  const { url, token, timeoutMs, maxAttempts, backoffMs, syncIntervalMs } = parsed.data;
  const erpWebhookSecret = env.INVENTORY_ERP_WEBHOOK_SECRET || undefined;
  if (!url) return { erp: null, erpWebhookSecret };
  return {
    erpWebhookSecret,
    erp: { url: url.replace(/\/+$/, ''), token, timeoutMs, maxAttempts, backoff: { initialMs: backoffMs, maxMs: backoffMs * 8 }, syncIntervalMs },
  };
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
