import { loadServiceConfig } from '@crm/platform';
import { opportunitiesSettings } from '../opportunities.settings';
import { HOUR_MS } from './reminder.domain';
import { stageClockOf } from './stage-clock';

// The stage timing as the service reads it at boot (a production boot needs a JWT secret and master keys of its own).
const PRODUCTION_SECRETS = { JWT_SECRET: 'x'.repeat(40), PII_MASTER_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}` };
const loadClock = (env: Record<string, string>) => stageClockOf(loadServiceConfig('opportunities', { ...PRODUCTION_SECRETS, ...env }, opportunitiesSettings));

describe('stage clock settings', () => {
  it('scans every 10 minutes with real hours by default, an empty variable counting as unset', () => {
    expect(loadClock({})).toEqual({ scanIntervalMs: 600_000, hourMs: HOUR_MS });
    expect(loadClock({ OPPORTUNITIES_STAGE_SCAN_INTERVAL_MS: '', OPPORTUNITIES_STAGE_HOUR_MS: '' })).toEqual({ scanIntervalMs: 600_000, hourMs: HOUR_MS });
  });

  it('reads a shorter scan interval and compressed hours for demos and system tests', () => {
    expect(loadClock({ OPPORTUNITIES_STAGE_SCAN_INTERVAL_MS: '500', OPPORTUNITIES_STAGE_HOUR_MS: '1000' })).toEqual({ scanIntervalMs: 500, hourMs: 1000 });
    expect(loadClock({ OPPORTUNITIES_STAGE_HOUR_MS: '100' }).hourMs).toBe(100);
  });

  it('refuses a bad value, naming the variable', () => {
    for (const interval of ['499', '0', '1.5', 'often', '86400001']) {
      expect(() => loadClock({ OPPORTUNITIES_STAGE_SCAN_INTERVAL_MS: interval })).toThrow(/OPPORTUNITIES_STAGE_SCAN_INTERVAL_MS/);
    }
    for (const hour of ['99', '-1000', 'hour', '7200000']) {
      expect(() => loadClock({ OPPORTUNITIES_STAGE_HOUR_MS: hour })).toThrow(/OPPORTUNITIES_STAGE_HOUR_MS/);
    }
  });

  it('refuses compressed hours in production, with a clear error', () => {
    expect(() => loadClock({ NODE_ENV: 'production', OPPORTUNITIES_STAGE_HOUR_MS: '1000' })).toThrow(
      'invalid opportunities configuration: OPPORTUNITIES_STAGE_HOUR_MS is for demos and tests, not production',
    );
    expect(loadClock({ NODE_ENV: 'production', OPPORTUNITIES_STAGE_HOUR_MS: String(HOUR_MS) }).hourMs).toBe(HOUR_MS);
    // A faster scan is harmless in production: it only looks more often.
    expect(loadClock({ NODE_ENV: 'production', OPPORTUNITIES_STAGE_SCAN_INTERVAL_MS: '60000' })).toEqual({ scanIntervalMs: 60_000, hourMs: HOUR_MS });
  });
});
