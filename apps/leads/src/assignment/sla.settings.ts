import { Module, type DynamicModule } from '@nestjs/common';
import { z } from 'zod';

/** How the first-follow-up SLA is timed. */
export interface SlaSettings {
  /** How often the SLA scan looks for late leads. */
  scanIntervalMs: number;
  /** The length of one hour of a rule's `followUpHours`: shortened only to compress time in demos and system tests. */
  hourMs: number;
}

export const SLA_SETTINGS = Symbol('SLA_SETTINGS');
export const HOUR_MS = 3_600_000;
export const DEFAULT_SLA_SETTINGS: SlaSettings = { scanIntervalMs: 300_000, hourMs: HOUR_MS };

const schema = z.object({
  scanIntervalMs: z.coerce.number().int().min(500).max(86_400_000).default(DEFAULT_SLA_SETTINGS.scanIntervalMs),
  hourMs: z.coerce.number().int().min(100).max(HOUR_MS).default(HOUR_MS),
});

/** LEADS_SLA_SCAN_INTERVAL_MS (default 5 min) and LEADS_SLA_HOUR_MS (default one real hour). A bad value stops the boot. */
export function loadSlaSettings(env: NodeJS.ProcessEnv = process.env): SlaSettings {
  const parsed = schema.safeParse({
    scanIntervalMs: env.LEADS_SLA_SCAN_INTERVAL_MS || undefined,
    hourMs: env.LEADS_SLA_HOUR_MS || undefined,
  });
  if (!parsed.success) {
    const names: Record<string, string> = { scanIntervalMs: 'LEADS_SLA_SCAN_INTERVAL_MS', hourMs: 'LEADS_SLA_HOUR_MS' };
    throw new Error(`invalid leads configuration: ${parsed.error.issues.map((i) => `${names[String(i.path[0])]}: ${i.message}`).join('; ')}`);
  }
  // Compressed time would re-assign every real customer's lead within minutes.
  if (env.NODE_ENV === 'production' && parsed.data.hourMs !== HOUR_MS) throw new Error('invalid leads configuration: LEADS_SLA_HOUR_MS is for demos and tests, not production');
  return parsed.data;
}

/** Makes the settings injectable wherever assignment runs (the assignment module is shared by leads and rules). */
@Module({})
export class SlaSettingsModule {
  static forRoot(settings: SlaSettings): DynamicModule {
    return { module: SlaSettingsModule, global: true, providers: [{ provide: SLA_SETTINGS, useValue: settings }], exports: [SLA_SETTINGS] };
  }
}
