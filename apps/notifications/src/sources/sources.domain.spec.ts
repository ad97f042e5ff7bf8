import { isLive, labelOf, triggerOf } from './sources.domain';

const now = new Date('2026-12-04T00:00:00Z');
const event = (time: string, data: object = {}) => ({ id: 'e1', type: 'crm.order.delayed', time, data });

describe('source events', () => {
  it('names a record by company and person', () => {
    expect(labelOf({ name: '李伟', company: '华为' })).toBe('华为 · 李伟');
    expect(labelOf({ name: 'Li Wei' })).toBe('Li Wei');
    expect(labelOf({ name: 'Acme', company: 'Acme' })).toBe('Acme');
  });

  it('tells nobody of a historical import or of an event older than the limit', () => {
    expect(isLive(event('2026-12-03T12:00:00Z'), now, 48)).toBe(true);
    expect(isLive(event('2026-12-01T23:59:59Z'), now, 48)).toBe(false);
    expect(isLive(event('2026-12-03T12:00:00Z', { historical: true }), now, 48)).toBe(false);
  });

  it('makes a trigger with the bare event type and the event time', () => {
    const t = triggerOf(event('2026-12-03T12:00:00Z', { orderId: 'o' }), { kind: 'order', id: 'o' }, { previousOwnerId: 'p' });
    expect(t).toMatchObject({ eventId: 'e1', eventType: 'order.delayed', record: { kind: 'order', id: 'o' }, previousOwnerId: 'p' });
    expect(t.occurredAt.toISOString()).toBe('2026-12-03T12:00:00.000Z');
  });
});
