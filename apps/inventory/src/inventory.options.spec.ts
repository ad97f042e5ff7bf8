import { loadServiceConfig } from '@crm/platform';
import { inventoryOptions, inventorySettings } from './inventory.options';

const loadInventoryOptions = (env: NodeJS.ProcessEnv) => inventoryOptions(loadServiceConfig('inventory', env, inventorySettings).settings);

describe('inventory settings', () => {
  it('uses the built-in ledger when no ERP URL is set', () => {
    expect(loadInventoryOptions({})).toEqual({ erp: null });
    expect(loadInventoryOptions({ INVENTORY_ERP_URL: '' })).toEqual({ erp: null });
  });

  it('configures the HTTP connector from the environment', () => {
    expect(loadInventoryOptions({ INVENTORY_ERP_URL: 'https://erp.example.com/api/', INVENTORY_ERP_TOKEN: 's3cret', INVENTORY_ERP_MAX_ATTEMPTS: '4' })).toEqual(
      {
        erp: {
          url: 'https://erp.example.com/api',
          token: 's3cret',
          timeoutMs: 5_000,
          maxAttempts: 4,
          backoff: { initialMs: 300, maxMs: 2_400 },
          breaker: { failures: 5, halfOpenAfterMs: 10_000 },
          syncIntervalMs: 300_000,
        },
      },
    );
  });

  it('reads the circuit breaker and the webhook secret', () => {
    expect(
      loadInventoryOptions({
        INVENTORY_ERP_URL: 'http://erp',
        INVENTORY_ERP_BREAKER_FAILURES: '2',
        INVENTORY_ERP_BREAKER_HALF_OPEN_MS: '500',
        INVENTORY_ERP_WEBHOOK_SECRET: 'w',
      }),
    ).toMatchObject({ erp: { breaker: { failures: 2, halfOpenAfterMs: 500 } }, erpWebhookSecret: 'w' });
  });

  it('refuses a bad setting at boot, naming the variable', () => {
    expect(() => loadInventoryOptions({ INVENTORY_ERP_URL: 'ftp://erp' })).toThrow(/INVENTORY_ERP_URL/);
    expect(() => loadInventoryOptions({ INVENTORY_ERP_URL: 'http://erp', INVENTORY_ERP_MAX_ATTEMPTS: 'many' })).toThrow(/INVENTORY_ERP_MAX_ATTEMPTS/);
    expect(() => loadInventoryOptions({ INVENTORY_ERP_URL: 'http://erp', INVENTORY_ERP_BREAKER_FAILURES: '0' })).toThrow(/INVENTORY_ERP_BREAKER_FAILURES/);
  });
});
