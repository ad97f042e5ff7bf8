import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { ALL_TOPICS, ContractViolationError, EVENT_CATALOGUE, buildAsyncApiDocument, createEvent, decodeEvent, dlqTopic, validateEvent } from './index';

// The event types the services were first built on, written out so a removed or renamed event fails here.
const DESIGN_EVENTS = [
  'lead.captured',
  'lead.assigned',
  'lead.reassigned',
  'lead.first_follow_up_due_soon',
  'lead.followed_up',
  'lead.qualified',
  'lead.disqualified',
  'lead.converted',
  'rep.upserted',
  'opportunity.created',
  'opportunity.scored',
  'opportunity.stage_changed',
  'opportunity.stage_overdue',
  'opportunity.strategy_recorded',
  'opportunity.won',
  'opportunity.lost',
  'order.drafted',
  'order.submitted',
  'order.confirmed',
  'order.on_hold',
  'order.allocated',
  'order.status_changed',
  'order.delayed',
  'order.shipped',
  'order.delivered',
  'order.completed',
  'order.cancelled',
  'order.feedback_received',
  'stock.deducted',
  'stock.insufficient',
  'stock.released',
  'stock.received',
  'stock.low',
  'receivable.created',
  'receivable.voided',
  'payment.received',
  'receivable.overdue',
];
// Added to that list later, each with its reason in docs/decisions/0004.
const ADDED_EVENTS = [
  'item.upserted',
  'opportunity.terms_changed',
  'order.erp_retry_requested',
  'stock.deduction_refused',
  'receivable.refused',
  'account.created',
  'account.updated',
  'contact.created',
  'contact.updated',
  'account.merged',
  'account.merge_undone',
  'contact.merged',
  'contact.merge_undone',
  'contact.lead_resolved',
  'opportunity.customer_linked',
  'rep.handed_over',
  'opportunity.reassigned',
  'order.reassigned',
  'order.draft_updated',
  'contact.erased',
  'lead.erased',
];

const orderId = '8f6a3c1e-2b4d-4e5f-9a7b-1c2d3e4f5a6b';
const confirmedData = {
  orderId,
  opportunityId: null,
  repId: '0b1c2d3e-4f5a-4b7c-8d9e-0f1a2b3c4d5e',
  customer: { name: 'Acme Ltd' },
  currency: 'EUR',
  lines: [{ lineId: '1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d', sku: 'SKU-1', productName: 'Pump', quantity: 2, unitPrice: '10.50', lineTotal: '21.00' }],
  total: '21.00',
  paymentTerms: 'NET30',
  by: 'manager-1',
  autoConfirmed: false,
  confirmedAt: '2026-11-27T10:00:00.000Z',
};

describe('event catalogue', () => {
  it('defines every listed event type, once per version, on a known topic', () => {
    expect(EVENT_CATALOGUE.map((d) => d.name).sort()).toEqual([...DESIGN_EVENTS, ...ADDED_EVENTS].sort());
    for (const def of EVENT_CATALOGUE) {
      expect(def.type).toBe(`crm.${def.name}`);
      expect(ALL_TOPICS).toContain(def.topic);
    }
  });

  it('names dead-letter topics after their source topic', () => {
    expect(dlqTopic('crm.orders.v1')).toBe('crm.orders.v1.dlq');
  });
});

describe('createEvent', () => {
  it('builds a complete envelope and applies schema defaults', () => {
    const event = createEvent('order.confirmed', { subject: orderId, data: confirmedData, causationId: 'cmd-1' });
    expect(event).toMatchObject({ type: 'crm.order.confirmed', source: 'orders', subject: orderId, dataversion: 1, causationid: 'cmd-1' });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.correlationid).toBeTruthy();
    expect(event.data.lines[0].discount).toBe('0');
    expect(validateEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('refuses data that breaks the schema, naming the field', () => {
    const bad = { ...confirmedData, total: '21,00', lines: [] };
    expect(() => createEvent('order.confirmed', { subject: orderId, data: bad })).toThrow(
      expect.objectContaining({ reason: 'data', issues: expect.arrayContaining([expect.stringMatching(/^total: /), expect.stringMatching(/^lines: /)]) }),
    );
  });
});

describe('validateEvent / decodeEvent', () => {
  const good = () => JSON.parse(JSON.stringify(createEvent('order.allocated', { subject: orderId, data: { orderId, at: '2026-11-27T10:00:00Z' } })));

  it.each([
    ['unparseable', Buffer.from('{not json')],
    ['unparseable', null],
    ['envelope', Buffer.from(JSON.stringify({ ...good(), id: 'nope' }))],
    ['unknown_type', Buffer.from(JSON.stringify({ ...good(), type: 'crm.order.teleported' }))],
    ['unknown_type', Buffer.from(JSON.stringify({ ...good(), dataversion: 9 }))],
    ['data', Buffer.from(JSON.stringify({ ...good(), data: { orderId: 'x' } }))],
  ])('rejects a %s message with a ContractViolationError', (reason, raw) => {
    let error: unknown;
    try {
      decodeEvent(raw);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ContractViolationError);
    expect((error as ContractViolationError).reason).toBe(reason);
  });

  it('accepts a valid message', () => {
    expect(decodeEvent(Buffer.from(JSON.stringify(good()))).type).toBe('crm.order.allocated');
  });
});

describe('AsyncAPI document', () => {
  const committed = JSON.parse(readFileSync(join(__dirname, '..', 'asyncapi.json'), 'utf8'));

  it('is committed as generated from the catalogue (run `npm run asyncapi` after a contract change)', () => {
    expect(committed).toEqual(buildAsyncApiDocument());
  });

  it('is a valid AsyncAPI 3 document with a message per event and a DLQ channel per topic', async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(committed));
    expect(diagnostics.filter((d) => d.severity === 0)).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    expect(document?.allMessages().length).toBe(EVENT_CATALOGUE.length + 1);
    const addresses = document!
      .allChannels()
      .all()
      .map((c) => c.address());
    for (const topic of ALL_TOPICS) expect(addresses).toEqual(expect.arrayContaining([topic, dlqTopic(topic)]));
  });
});
