import { historicalId } from './history';

describe('historicalId', () => {
  it('is the same UUID (version 5, RFC variant) for the same kind and external id, every time', () => {
    const id = historicalId('lead', 'old-crm-1042');
    expect(id).toBe(historicalId('lead', 'old-crm-1042'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('differs between kinds and between external ids', () => {
    const ids = new Set([historicalId('lead', 'x'), historicalId('opportunity', 'x'), historicalId('order', 'x'), historicalId('lead', 'y')]);
    expect(ids.size).toBe(4);
  });

  it('is the standard UUID v5 of `<kind>:<externalId>` in the import namespace, stable across releases', () => {
    // python3 -c "import uuid; print(uuid.uuid5(uuid.UUID('6f1d3c2a-5b7e-4f0a-9c8d-1e2f3a4b5c6d'), 'order:SO-1'))"
    expect(historicalId('order', 'SO-1')).toBe('2c0af09e-b928-56ae-a53e-bc16517b701a');
  });
});
