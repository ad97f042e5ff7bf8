import { loadServiceConfig } from '@crm/platform';
import { leadsSettings } from '../leads.settings';
import { HOUR_MS, slaSettingsOf } from './sla.settings';

// The SLA timing as the service reads it at boot (a production boot needs a JWT secret of its own).
const loadSlaSettings = (env: NodeJS.ProcessEnv) => slaSettingsOf(loadServiceConfig('leads', { JWT_SECRET: 'x'.repeat(40), ...env }, leadsSettings));

describe('SLA settings', () => {
  it('scan every 5 minutes with real hours by default', () => {
    expect(loadSlaSettings({})).toEqual({ scanIntervalMs: 300_000, hourMs: HOUR_MS });
  });

  it('reads a shorter scan interval and compressed hours for demos and system tests', () => {
    expect(loadSlaSettings({ LEADS_SLA_SCAN_INTERVAL_MS: '1000', LEADS_SLA_HOUR_MS: '1000' })).toEqual({ scanIntervalMs: 1000, hourMs: 1000 });
  });

  it('refuses a bad value, naming the variable', () => {
    expect(() => loadSlaSettings({ LEADS_SLA_SCAN_INTERVAL_MS: 'often' })).toThrow(/LEADS_SLA_SCAN_INTERVAL_MS/);
    expect(() => loadSlaSettings({ LEADS_SLA_HOUR_MS: '7200000' })).toThrow(/LEADS_SLA_HOUR_MS/);
  });

  it('refuses compressed hours in production', () => {
    expect(() => loadSlaSettings({ NODE_ENV: 'production', LEADS_SLA_HOUR_MS: '1000' })).toThrow(/not production/);
    expect(loadSlaSettings({ NODE_ENV: 'production' }).hourMs).toBe(HOUR_MS);
  });
});
