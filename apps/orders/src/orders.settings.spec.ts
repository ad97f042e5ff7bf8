import { loadServiceConfig } from '@crm/platform';
import { ordersSettings } from './orders.settings';

describe('orders settings', () => {
  it('reads the auto-confirm limits per currency; unset or empty means every order is reviewed', () => {
    expect(loadServiceConfig('orders', { ORDERS_AUTO_CONFIRM_LIMITS: 'USD:1000, EUR:900.50' }, ordersSettings).settings.autoConfirmLimits).toEqual(
      new Map([
        ['USD', '1000'],
        ['EUR', '900.50'],
      ]),
    );
    expect(loadServiceConfig('orders', {}, ordersSettings).settings.autoConfirmLimits.size).toBe(0);
    expect(loadServiceConfig('orders', { ORDERS_AUTO_CONFIRM_LIMITS: '' }, ordersSettings).settings.autoConfirmLimits.size).toBe(0);
  });

  it('stops the boot on a malformed value, naming the variable', () => {
    expect(() => loadServiceConfig('orders', { ORDERS_AUTO_CONFIRM_LIMITS: 'USD=1000' }, ordersSettings)).toThrow(
      /ORDERS_AUTO_CONFIRM_LIMITS: "USD=1000" is not CURRENCY:amount/,
    );
    expect(() => loadServiceConfig('orders', { ORDERS_AUTO_CONFIRM_LIMITS: 'USD:1e3' }, ordersSettings)).toThrow(/ORDERS_AUTO_CONFIRM_LIMITS: /);
  });
});
