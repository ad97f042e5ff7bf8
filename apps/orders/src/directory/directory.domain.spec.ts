import { decideCopy, unsellable } from './directory.domain';

describe('decideCopy', () => {
  const item = (updatedAt: string) => ({ sku: 'PUMP-200', name: 'Pump', productLine: null, active: true, updatedAt });

  it('stores a first copy and a newer or equally new update', () => {
    expect(decideCopy(undefined, item('2026-11-01T00:00:00Z')).changes).toEqual(item('2026-11-01T00:00:00Z'));
    expect(decideCopy({ updatedAt: new Date('2026-11-01T00:00:00Z') }, item('2026-11-02T00:00:00Z')).changes).toEqual(item('2026-11-02T00:00:00Z'));
    expect(decideCopy({ updatedAt: new Date('2026-11-01T00:00:00Z') }, item('2026-11-01T00:00:00.000Z')).changes).not.toBeNull();
  });

  it('never lets a late, older update overwrite a newer copy', () => {
    expect(decideCopy({ updatedAt: new Date('2026-11-02T00:00:00Z') }, item('2026-11-01T00:00:00Z'))).toEqual({ changes: null, events: [] });
  });
});

describe('unsellable', () => {
  it('names the SKUs the catalogue does not sell, in order, once each', () => {
    expect([...unsellable(['A', 'B', 'C', 'B'], new Set(['A']))]).toEqual(['B', 'C']);
    expect(unsellable(['A'], new Set(['A'])).size).toBe(0);
  });
});
