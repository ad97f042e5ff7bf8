import { loadServiceConfig } from '@crm/platform';
import { opportunitiesSettings } from './opportunities.settings';

const load = (env: Record<string, string>) => loadServiceConfig('opportunities', env, opportunitiesSettings).settings;

const stageDefaults = { stageScanIntervalMs: 600_000, stageHourMs: 3_600_000, auditRetentionDays: 2555 };

describe('opportunitiesSettings', () => {
  it('defaults to USD and 90 days, an empty variable counting as unset', () => {
    expect(load({})).toEqual({ defaultCurrency: 'USD', defaultCloseDays: 90, ...stageDefaults });
    expect(load({ OPPORTUNITIES_DEFAULT_CURRENCY: '', OPPORTUNITIES_DEFAULT_CLOSE_DAYS: '' })).toEqual({
      defaultCurrency: 'USD',
      defaultCloseDays: 90,
      ...stageDefaults,
    });
    expect(load({ OPPORTUNITIES_DEFAULT_CURRENCY: 'EUR', OPPORTUNITIES_DEFAULT_CLOSE_DAYS: '30' })).toMatchObject({
      defaultCurrency: 'EUR',
      defaultCloseDays: 30,
    });
  });

  it('refuses a bad value, naming its variable', () => {
    expect(() => load({ OPPORTUNITIES_DEFAULT_CURRENCY: 'euro' })).toThrow(/OPPORTUNITIES_DEFAULT_CURRENCY: must be an ISO 4217 code/);
    for (const days of ['0', '-3', '1.5', 'soon']) {
      expect(() => load({ OPPORTUNITIES_DEFAULT_CLOSE_DAYS: days })).toThrow(/OPPORTUNITIES_DEFAULT_CLOSE_DAYS: /);
    }
  });
});
