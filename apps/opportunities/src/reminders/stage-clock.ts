import type { ServiceConfig } from '@crm/platform';
import type { OpportunitiesSettings } from '../opportunities.settings';
import { HOUR_MS } from './reminder.domain';

/** How the stage-overdue scan is timed. */
export interface StageClock {
  /** How often the scan looks for opportunities past their stage's time limit. */
  scanIntervalMs: number;
  /** The length of one hour of a stage's `timeLimitHours`: shortened only to compress time in demos and system tests. */
  hourMs: number;
}

export const STAGE_CLOCK = Symbol('STAGE_CLOCK');
export const DEFAULT_STAGE_CLOCK: StageClock = { scanIntervalMs: 600_000, hourMs: HOUR_MS };

/**
 * The stage timing of the validated settings (OPPORTUNITIES_STAGE_SCAN_INTERVAL_MS, OPPORTUNITIES_STAGE_HOUR_MS);
 * compressed hours stop a production boot.
 */
export function stageClockOf(config: Pick<ServiceConfig<OpportunitiesSettings>, 'production' | 'settings'>): StageClock {
  const { stageScanIntervalMs: scanIntervalMs, stageHourMs: hourMs } = config.settings;
  // Compressed time would flood every real rep with overdue reminders within minutes.
  if (config.production && hourMs !== HOUR_MS) {
    throw new Error('invalid opportunities configuration: OPPORTUNITIES_STAGE_HOUR_MS is for demos and tests, not production');
  }
  return { scanIntervalMs, hourMs };
}
