import { cloudEventConformance } from '@crm/testing';
import { buildAsyncApiDocument, CLOUDEVENTS_CONTENT_TYPE, createEvent, decodeEvent, EnvelopeSchema } from './index';

// The CloudEvents distributed-tracing extension on the envelope (docs/decisions/0028).
const orderId = '8f6a3c1e-2b4d-4e5f-9a7b-1c2d3e4f5a6b';
const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const allocated = () => createEvent('order.allocated', { subject: orderId, data: { orderId, at: '2026-11-27T10:00:00Z' } });
const roundTrip = (value: unknown) => decodeEvent(Buffer.from(JSON.stringify(value)));

describe('trace context in the event envelope', () => {
  it('keeps traceparent and tracestate through a write and a read, and the event stays a conforming CloudEvent', () => {
    const event = { ...allocated(), traceparent, tracestate: 'vendor=abc' };
    expect(roundTrip(event)).toMatchObject({ traceparent, tracestate: 'vendor=abc' });
    expect(EnvelopeSchema.safeParse(event).success).toBe(true);
    const sent = {
      partition: 0,
      offset: '0',
      key: orderId,
      value: JSON.stringify(event),
      headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE, ce_id: event.id, ce_type: event.type },
    };
    expect(cloudEventConformance(buildAsyncApiDocument()).problems('crm.orders.v1', sent)).toEqual([]);
  });

  it('reads an event without trace context (all history) as before, with none', () => {
    const read = roundTrip(allocated());
    expect(read.traceparent).toBeUndefined();
    expect(Object.keys(JSON.parse(JSON.stringify(read)))).not.toContain('traceparent');
  });

  it.each([
    ['a malformed traceparent', { traceparent: '00-zz-nonsense' }],
    ['a traceparent that is not a string', { traceparent: 42 }],
    ['an oversized tracestate', { traceparent, tracestate: 'x'.repeat(10_000) }],
  ])('drops %s on read instead of refusing the event', (_what, trace) => {
    const read = roundTrip({ ...allocated(), ...trace });
    expect(read.type).toBe('crm.order.allocated');
    if (typeof trace.traceparent !== 'string' || !trace.traceparent.startsWith('00-4b')) expect(read.traceparent).toBeUndefined();
    if ('tracestate' in trace) expect(read.tracestate).toBeUndefined();
  });

  it('refuses to write a malformed traceparent (the writing schema is strict; only reading is lenient)', () => {
    expect(EnvelopeSchema.safeParse({ ...allocated(), traceparent: 'nonsense' }).success).toBe(false);
  });
});
