import { cloudEventConformance } from '@crm/testing';
import { CLOUDEVENTS_CONTENT_TYPE, ContractViolationError, EnvelopeSchema, buildAsyncApiDocument, createEvent, decodeEvent, validateEvent } from './index';

// The envelope is a CloudEvent 1.0 (JSON event format); docs/decisions/0014.
const orderId = '8f6a3c1e-2b4d-4e5f-9a7b-1c2d3e4f5a6b';
const allocated = (time?: string) => createEvent('order.allocated', { subject: orderId, data: { orderId, at: '2026-11-27T10:00:00Z' }, time });
const conformance = cloudEventConformance(buildAsyncApiDocument());
/** The event as the outbox relay sends it: the JSON as the value, the subject as the key. */
const asSent = <E extends { id: string; type: string; subject: string }>(event: E, headers: Record<string, string> = {}) => ({
  partition: 0,
  offset: '0',
  key: event.subject,
  value: JSON.stringify(event),
  headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE, ce_id: event.id, ce_type: event.type, ...headers },
});
const reasonOf = (raw: unknown): string | undefined => {
  try {
    validateEvent(raw);
    return undefined;
  } catch (err) {
    return err instanceof ContractViolationError ? err.reason : 'other';
  }
};

describe('the event envelope as a CloudEvent 1.0', () => {
  it('carries specversion 1.0 and JSON data, and is valid against the official schema and the AsyncAPI document', () => {
    const event = allocated();
    expect(event).toMatchObject({ specversion: '1.0', datacontenttype: 'application/json', type: 'crm.order.allocated', source: 'orders' });
    expect(conformance.problems('crm.orders.v1', asSent(event))).toEqual([]);
  });

  it('is refused by the conformance check when an attribute or the header breaks the binding', () => {
    const { specversion: _dropped, ...noVersion } = allocated();
    expect(conformance.problems('crm.orders.v1', asSent(noVersion))).toEqual(
      expect.arrayContaining([expect.stringMatching(/official JSON schema.*specversion/), 'specversion is undefined']),
    );
    expect(conformance.problems('crm.orders.v1', asSent(allocated(), { 'content-type': 'application/json' }))).toEqual([
      expect.stringMatching(/^content-type header is "application\/json"/),
      expect.stringMatching(/headers do not match the AsyncAPI document/),
    ]);
    expect(conformance.problems('crm.orders.v1', asSent(allocated(), { 'ce-id': orderId }))).toEqual(['HTTP-style headers on Kafka: ce-id']);
    expect(conformance.problems('crm.orders.v1', asSent(allocated(), { ce_id: orderId }))).toEqual([
      expect.stringMatching(/^header ce_id=.* but the event says/),
    ]);
    expect(conformance.problems('crm.orders.v1', { ...asSent(allocated()), key: 'another-key' })).toEqual([
      expect.stringMatching(/^Kafka key .* is not the subject/),
    ]);
    expect(conformance.problems('crm.orders.v1', asSent({ ...allocated(), correlationId: 'x' }))).toEqual([
      'extension attribute names not lower-case alphanumeric: correlationId',
    ]);
  });

  it('names its extension attributes with lower-case letters and digits only', () => {
    const spec = ['id', 'source', 'specversion', 'type', 'datacontenttype', 'dataschema', 'subject', 'time', 'data'];
    const extensions = Object.keys(EnvelopeSchema.shape).filter((k) => !spec.includes(k));
    expect(extensions.sort()).toEqual(['causationid', 'correlationid', 'dataversion', 'personaldata', 'personalkey', 'traceparent', 'tracestate']);
    for (const name of extensions) expect(name).toMatch(/^[a-z0-9]{1,20}$/);
  });

  it('writes time as RFC 3339 in UTC, whatever offset the occurrence time was given in', () => {
    // 07:30 on 1 March in Beijing is 23:30 on 28 February in UTC.
    expect(allocated('2026-03-01T07:30:00+08:00').time).toBe('2026-02-28T23:30:00.000Z');
    expect(allocated().time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('reads an event published before specversion existed as CloudEvents 1.0 JSON (topics are kept forever)', () => {
    const { specversion: _s, datacontenttype: _d, ...legacy } = JSON.parse(JSON.stringify(allocated()));
    const read = decodeEvent(Buffer.from(JSON.stringify(legacy)));
    expect(read).toMatchObject({ specversion: '1.0', datacontenttype: 'application/json', id: legacy.id, type: 'crm.order.allocated' });
  });

  it('refuses another specversion or data that is not JSON, as an envelope violation', () => {
    const event = JSON.parse(JSON.stringify(allocated()));
    expect(reasonOf(event)).toBeUndefined();
    expect(reasonOf({ ...event, specversion: '0.3' })).toBe('envelope');
    expect(reasonOf({ ...event, specversion: '2.0' })).toBe('envelope');
    expect(reasonOf({ ...event, specversion: null })).toBe('envelope');
    expect(reasonOf({ ...event, datacontenttype: 'application/xml' })).toBe('envelope');
  });

  it('says where a message is not JSON without quoting its text (it goes to logs and DLQ headers)', () => {
    const raw = Buffer.from('{"contact":{"email":wei.zhang@example.cn}}');
    expect(() => decodeEvent(raw)).toThrow(ContractViolationError);
    try {
      decodeEvent(raw);
    } catch (err) {
      expect((err as Error).message).toMatch(/^message is not JSON/);
      expect((err as Error).message).not.toContain('wei.zhang');
    }
  });
});
