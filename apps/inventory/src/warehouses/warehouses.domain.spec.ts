import { decideNewWarehouse, warehouseExists, warehouseNotFound } from './warehouses.domain';

describe('decideNewWarehouse', () => {
  it('takes the given priority, or 100, and publishes nothing', () => {
    expect(decideNewWarehouse({ id: 'east', name: 'East', priority: 10 })).toEqual({ changes: { id: 'east', name: 'East', priority: 10 }, events: [] });
    expect(decideNewWarehouse({ id: 'west', name: 'West' }).changes.priority).toBe(100);
  });

  it('refuses a taken id as a conflict and names a missing warehouse', () => {
    expect(warehouseExists('south')).toMatchObject({ kind: 'conflict', code: 'WAREHOUSE_EXISTS', detail: 'Warehouse south exists already.' });
    expect(warehouseNotFound('atlantis')).toMatchObject({ kind: 'not_found', code: 'WAREHOUSE_NOT_FOUND', detail: 'There is no warehouse atlantis.' });
  });
});
