import { randomUUID } from 'node:crypto';
import { runWithCorrelation } from '@crm/observability';
import { newEvent } from './new-event';

const allocated = () => {
  const orderId = randomUUID();
  return newEvent('order.allocated', { subject: orderId, data: { orderId, at: '2026-11-27T10:00:00Z' } });
};

describe('newEvent', () => {
  it('carries the correlation id of the work in progress and the handled event as its cause', () => {
    const event = runWithCorrelation('journey-7', allocated, 'a1b2c3d4-0000-4000-8000-000000000001');
    expect(event.correlationid).toBe('journey-7');
    expect(event.causationid).toBe('a1b2c3d4-0000-4000-8000-000000000001');
  });

  it('starts a new journey outside any request or event', () => {
    const event = allocated();
    expect(event.correlationid).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.causationid).toBeNull();
  });
});
