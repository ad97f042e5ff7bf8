import { loadInventoryOptions } from './inventory.options';

describe('loadInventoryOptions', () => {
  it('uses the built-in ledger when no ERP URL is set', () => {
    expect(loadInventoryOptions({})).toEqual({ erp: null });
    expect(loadInventoryOptions({ INVENTORY_ERP_URL: '' })).toEqual({ erp: null });
  });

  it('configures the HTTP connector from the environment', () => {
    expect(
      loadInventoryOptions({ INVENTORY_ERP_URL: 'https://erp.example.com/api/', INVENTORY_ERP_TOKEN: 's3cret', INVENTORY_ERP_MAX_ATTEMPTS: '4' }),
    ).toEqual({
      erp: {
        url: 'https://erp.example.com/api',
        token: 's3cret',
        timeoutMs: 5_000,
        maxAttempts: 4,
        backoff: { initialMs: 300, maxMs: 2_400 },
        syncIntervalMs: 300_000,
      },
    });
  });

  it('refuses a bad setting at boot, naming the variable', () => {
    expect(() => loadInventoryOptions({ INVENTORY_ERP_URL: 'ftp://erp' })).toThrow(/INVENTORY_ERP_URL/);
    expect(() => loadInventoryOptions({ INVENTORY_ERP_URL: 'http://erp', INVENTORY_ERP_MAX_ATTEMPTS: 'many' })).toThrow(/INVENTORY_ERP_MAX_ATTEMPTS/);
  });
});
