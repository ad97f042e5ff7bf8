import { decideUpsert, itemFields, itemNotFound, type Item, type ItemState } from './items.domain';

const now = new Date('2026-03-10T09:00:00.000Z');
const item: Item = {
  sku: 'TBL-1',
  name: 'Table',
  productLine: 'furniture',
  reorderPoint: 3,
  active: true,
  version: 2,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-02-01T00:00:00Z'),
};
const existing: ItemState = { version: 2, item, created: false };

describe('itemFields', () => {
  it('gives omitted optional fields their defaults (PUT replaces the whole item)', () => {
    expect(itemFields({ name: 'Lamp' })).toEqual({ name: 'Lamp', productLine: null, reorderPoint: 0, active: true });
  });
});

describe('decideUpsert', () => {
  it('publishes item.upserted for an item the PUT created, writing nothing more', () => {
    const { changes, events } = decideUpsert({ version: 0, item, created: true }, { name: 'Table', now });
    expect(changes.update).toBeNull();
    expect(events).toEqual([expect.objectContaining({ type: 'crm.item.upserted', subject: 'TBL-1' })]);
  });

  it('replaces a changed item with the next version and publishes it', () => {
    const { changes, events } = decideUpsert(existing, { name: 'Oak table', productLine: 'furniture', reorderPoint: 3, now });
    expect(changes.update).toEqual({ ...item, name: 'Oak table', version: 3, updatedAt: now });
    expect(events.map((e) => e.data)).toEqual([{ sku: 'TBL-1', name: 'Oak table', productLine: 'furniture', active: true, updatedAt: now.toISOString() }]);
  });

  it('a PUT that changes nothing writes and publishes nothing', () => {
    expect(decideUpsert(existing, { name: 'Table', productLine: 'furniture', reorderPoint: 3, active: true, now })).toEqual({
      changes: { update: null },
      events: [],
    });
  });

  it('an omitted field is a change back to its default', () => {
    expect(decideUpsert(existing, { name: 'Table', productLine: 'furniture', now }).changes.update).toMatchObject({ reorderPoint: 0, version: 3 });
  });

  it('names a missing item by its SKU', () => {
    expect(itemNotFound('X-1')).toMatchObject({ kind: 'not_found', code: 'ITEM_NOT_FOUND', detail: 'There is no item with SKU X-1.' });
  });
});
