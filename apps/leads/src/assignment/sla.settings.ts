import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceConfig } from '@crm/platform';
import { HOUR_MS } from './assignment.domain';
import type { LeadsSettings } from '../leads.settings';

export { HOUR_MS };

/** How the first-follow-up SLA is timed. */
export interface SlaSettings {
  /** How often the SLA scan looks for late leads. */
  scanIntervalMs: number;
  /** The length of one hour of a rule's `followUpHours`: shortened only to compress time in demos and system tests. */
  hourMs: number;
  /** How long before the deadline the owner is warned, in the same (possibly compressed) time; 0 = never. */
  warningMs: number;
}

export const SLA_SETTINGS = Symbol('SLA_SETTINGS');
export const DEFAULT_SLA_SETTINGS: SlaSettings = { scanIntervalMs: 300_000, hourMs: HOUR_MS, warningMs: 30 * 60_000 };

/**
 * The SLA timing of the validated settings (LEADS_SLA_SCAN_INTERVAL_MS, LEADS_SLA_HOUR_MS,
 * LEADS_SLA_WARNING_MINUTES); compressed hours stop a production boot.
 */
export function slaSettingsOf(config: Pick<ServiceConfig<LeadsSettings>, 'production' | 'settings'>): SlaSettings {
  const { slaScanIntervalMs: scanIntervalMs, slaHourMs: hourMs, slaWarningMinutes } = config.settings;
  // Compressed time would re-assign every real customer's lead within minutes.
  if (config.production && hourMs !== HOUR_MS) throw new Error('invalid leads configuration: LEADS_SLA_HOUR_MS is for demos and tests, not production');
  // Minutes of the SLA's hour: compressing the hour compresses the warning with the deadlines it precedes.
  return { scanIntervalMs, hourMs, warningMs: Math.round((slaWarningMinutes * hourMs) / 60) };
}

/** Makes the settings injectable wherever assignment runs (the assignment module is shared by leads and rules). */
@Module({})
export class SlaSettingsModule {
  static forRoot(settings: SlaSettings): DynamicModule {
    return { module: SlaSettingsModule, global: true, providers: [{ provide: SLA_SETTINGS, useValue: settings }], exports: [SLA_SETTINGS] };
  }
}
