import { loadServiceConfig } from '@crm/platform';
import { leadsSettings } from '../leads.settings';
import { HOUR_MS, slaSettingsOf } from './sla.settings';

// The SLA timing as the service reads it at boot (a production boot needs a JWT secret and master keys of its own).
const PRODUCTION_SECRETS = { JWT_SECRET: 'x'.repeat(40), PII_MASTER_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}` };
const loadSlaSettings = (env: NodeJS.ProcessEnv) => slaSettingsOf(loadServiceConfig('leads', { ...PRODUCTION_SECRETS, ...env }, leadsSettings));

describe('SLA settings', () => {
  it('scan every 5 minutes with real hours and a 30-minute warning by default', () => {
    expect(loadSlaSettings({})).toEqual({ scanIntervalMs: 300_000, hourMs: HOUR_MS, warningMs: 30 * 60_000 });
  });

  it('reads a shorter scan interval and compressed hours for demos and system tests', () => {
    expect(loadSlaSettings({ LEADS_SLA_SCAN_INTERVAL_MS: '1000', LEADS_SLA_HOUR_MS: '1000' })).toMatchObject({ scanIntervalMs: 1000, hourMs: 1000 });
  });

  it('measures the warning in minutes of the SLA hour, so compressed hours compress it alike; 0 turns it off', () => {
    expect(loadSlaSettings({ LEADS_SLA_WARNING_MINUTES: '90' }).warningMs).toBe(90 * 60_000);
    // 30 minutes of a 1-second hour: half a second.
    expect(loadSlaSettings({ LEADS_SLA_HOUR_MS: '1000' }).warningMs).toBe(500);
    expect(loadSlaSettings({ LEADS_SLA_HOUR_MS: '6000', LEADS_SLA_WARNING_MINUTES: '45' }).warningMs).toBe(4500);
    expect(loadSlaSettings({ LEADS_SLA_WARNING_MINUTES: '0' }).warningMs).toBe(0);
  });

  it('refuses a bad value, naming the variable', () => {
    expect(() => loadSlaSettings({ LEADS_SLA_SCAN_INTERVAL_MS: 'often' })).toThrow(/LEADS_SLA_SCAN_INTERVAL_MS/);
    expect(() => loadSlaSettings({ LEADS_SLA_HOUR_MS: '7200000' })).toThrow(/LEADS_SLA_HOUR_MS/);
    expect(() => loadSlaSettings({ LEADS_SLA_WARNING_MINUTES: '-5' })).toThrow(/LEADS_SLA_WARNING_MINUTES/);
    expect(() => loadSlaSettings({ LEADS_SLA_WARNING_MINUTES: 'soon' })).toThrow(/LEADS_SLA_WARNING_MINUTES/);
  });

  it('refuses compressed hours in production', () => {
    expect(() => loadSlaSettings({ NODE_ENV: 'production', LEADS_SLA_HOUR_MS: '1000' })).toThrow(/not production/);
    expect(loadSlaSettings({ NODE_ENV: 'production' }).hourMs).toBe(HOUR_MS);
  });
});
