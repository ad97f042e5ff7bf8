import { loadServiceConfig } from '@crm/platform';
import { customersSettings } from './customers.settings';

const load = (env: NodeJS.ProcessEnv) => loadServiceConfig('customers', { JWT_SECRET: 'x'.repeat(40), ...env }, customersSettings);

describe('customers settings', () => {
  it('runs on port 3007 against crm_customers and names 10 duplicate candidates by default', () => {
    const config = load({ DATABASE_URL: 'postgres://u@db:5432/postgres' });
    expect(config.port).toBe(3007);
    expect(config.databaseUrl).toContain('/crm_customers');
    expect(config.settings.duplicateCandidates).toBe(10);
    expect(load({ CUSTOMERS_DUPLICATE_CANDIDATES: '25' }).settings.duplicateCandidates).toBe(25);
  });

  it('lets a merge be undone for 30 days and scans for duplicates nightly unless told otherwise', () => {
    const { settings } = load({});
    expect(settings.mergeUndoDays).toBe(30);
    expect(settings.duplicateScanCron).toBe('0 3 * * *');
    const told = load({ CUSTOMERS_MERGE_UNDO_DAYS: '7', CUSTOMERS_DUPLICATE_SCAN_CRON: '*/15 * * * *' }).settings;
    expect(told).toMatchObject({ mergeUndoDays: 7, duplicateScanCron: '*/15 * * * *' });
  });

  it('stops the boot naming a bad variable', () => {
    expect(() => load({ CUSTOMERS_DUPLICATE_CANDIDATES: '0' })).toThrow(/CUSTOMERS_DUPLICATE_CANDIDATES/);
    expect(() => load({ CUSTOMERS_MERGE_UNDO_DAYS: '0' })).toThrow(/CUSTOMERS_MERGE_UNDO_DAYS/);
    expect(() => load({ CUSTOMERS_DUPLICATE_SCAN_CRON: 'every night' })).toThrow(/CUSTOMERS_DUPLICATE_SCAN_CRON/);
  });
});
