import { randomBytes, randomUUID } from 'node:crypto';
import { buildAsyncApiDocument, createEvent } from '@crm/contracts';
import {
  cloudEventConformance,
  eventually,
  readTopic,
  SPAN_KIND,
  queryRows,
  startOtlpReceiver,
  startSystem,
  testKafka,
  type OtlpReceiver,
  type TestSystem,
} from '@crm/testing';

// One order followed from the HTTP request through the outbox, Kafka and each consumer to the next outbox, and one
// lead to the services that consume it: real processes exporting OTLP/HTTP JSON to a receiver in this test.
jest.setTimeout(300_000);

const team = 'north';
const rep = { sub: randomUUID(), roles: ['sales_rep'], team };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team };
const admin = { sub: 'admin-1', roles: ['admin'] };
const website = { sub: 'website-bot', roles: ['integration'] };
const hop = { timeoutMs: 60_000, intervalMs: 500 };
const newTraceparent = () => `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
const traceIdOf = (traceparent: string) => traceparent.split('-')[1];

describe('traces across services (real Kafka, PostgreSQL and processes, OTLP/HTTP to a local receiver)', () => {
  let system: TestSystem;
  let otlp: OtlpReceiver;
  const sql = (service: string, text: string, params: unknown[] = []) => queryRows(system.databases[service].url, text, params);

  beforeAll(async () => {
    otlp = await startOtlpReceiver();
    system = await startSystem(['orders', 'inventory', 'finance', 'leads', 'opportunities'], {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint, OTEL_BSP_SCHEDULE_DELAY: '200', ORDERS_AUTO_CONFIRM_LIMITS: 'USD:100' },
    });
    const inventory = system.as(admin, 'inventory');
    await inventory
      .put('/api/v1/items/TRACE-1')
      .send({ name: 'Traced drill', productLine: 'tools', reorderPoint: 0 })
      .expect((r) => expect([200, 201]).toContain(r.status));
    await inventory.post('/api/v1/stock/receipts').send({ sku: 'TRACE-1', warehouseId: 'main', quantity: 10 }).expect(201);
    await eventually(async () => expect(await sql('orders', 'SELECT sku FROM catalogue_items')).toHaveLength(1), hop);
  });
  afterAll(async () => {
    await system?.stop();
    await otlp?.close();
  });

  it('one confirmed order is one trace: orders → inventory and finance → orders, every consumer span the child of a producer span', async () => {
    const orders = system.as(rep, 'orders');
    const created = await orders
      .post('/api/v1/orders')
      .send({
        customer: { name: 'Li Lei', company: 'Trace Tools' },
        currency: 'USD',
        paymentTerms: 'NET30',
        lines: [{ sku: 'TRACE-1', productName: 'Drill', quantity: 2, unitPrice: '99.00' }],
      })
      .expect(201);
    await orders.post(`/api/v1/orders/${created.body.id}/submit`).expect(200);
    // The caller's trace context is continued: the whole saga lands in the trace it names.
    const traceparent = newTraceparent();
    await system.as(manager, 'orders').post(`/api/v1/orders/${created.body.id}/confirm`).set('traceparent', traceparent).expect(200);
    await eventually(async () => expect((await orders.get(`/api/v1/orders/${created.body.id}`).expect(200)).body.status).toBe('allocated'), hop);

    const traceId = traceIdOf(traceparent);
    const spans = await eventually(() => {
      const found = otlp.trace(traceId);
      // orders' consumer of stock.deducted (the allocation) is the last hop of the saga.
      expect(found.filter((s) => s.kind === SPAN_KIND.consumer).map((s) => s.service)).toEqual(expect.arrayContaining(['inventory', 'finance', 'orders']));
      return found;
    }, hop);
    const server = spans.find((s) => s.kind === SPAN_KIND.server && s.service === 'orders');
    expect(server).toMatchObject({
      parentSpanId: traceparent.split('-')[2],
      attributes: expect.objectContaining({ 'http.route': '/api/v1/orders/:id/confirm', 'http.response.status_code': 200 }),
    });
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const consumers = spans.filter((s) => s.kind === SPAN_KIND.consumer);
    for (const consumer of consumers) {
      const parent = byId.get(consumer.parentSpanId ?? '');
      expect({ consumer: consumer.name, parentKind: parent?.kind, system: consumer.attributes['messaging.system'] }).toEqual({
        consumer: consumer.name,
        parentKind: SPAN_KIND.producer,
        system: 'kafka',
      });
    }
    // inventory's stock.deducted went out from its consumer's context: its producer span hangs under that consumer.
    const inventoryProducer = spans.find((s) => s.kind === SPAN_KIND.producer && s.service === 'inventory');
    expect(byId.get(inventoryProducer?.parentSpanId ?? '')).toMatchObject({ service: 'inventory', kind: SPAN_KIND.consumer });
    expect([...new Set(spans.map((s) => s.service))]).toEqual(expect.arrayContaining(['orders', 'inventory', 'finance']));

    // On the wire: the envelope names the request's span, the Kafka header the relay's producer span, and the
    // message still conforms to the AsyncAPI document.
    const [confirmed] = (await readTopic(await testKafka(), `${system.prefix}crm.orders.v1`)).filter(
      (m) => m.key === created.body.id && JSON.parse(m.value ?? '{}').type === 'crm.order.confirmed',
    );
    const producer = spans.find((s) => s.kind === SPAN_KIND.producer && s.attributes['messaging.message.id'] === JSON.parse(confirmed.value!).id);
    expect(JSON.parse(confirmed.value!).traceparent).toBe(`00-${traceId}-${server!.spanId}-01`);
    expect(confirmed.headers.traceparent).toBe(`00-${traceId}-${producer!.spanId}-01`);
    expect(cloudEventConformance(buildAsyncApiDocument()).problems('crm.orders.v1', confirmed)).toEqual([]);
  });

  it('a lead captured over HTTP: its trace reaches the service that consumes lead.captured', async () => {
    const captured = await system
      .as(website, 'leads')
      .post('/api/v1/leads')
      .send({ name: 'Han Meimei', email: `han.${randomUUID().slice(0, 8)}@example.com`, company: 'Trace Pumps', source: 'phone', region: 'trace-land' })
      .expect(201);
    const server = await eventually(() => {
      const found = otlp.spans.find((s) => s.service === 'leads' && s.kind === SPAN_KIND.server && s.attributes['http.route'] === '/api/v1/leads');
      expect(found).toBeDefined();
      return found!;
    }, hop);
    expect(server.parentSpanId).toBeUndefined(); // no traceparent header: a new root
    await eventually(() => {
      const consumer = otlp.trace(server.traceId).find((s) => s.service === 'opportunities' && s.kind === SPAN_KIND.consumer);
      expect(consumer?.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.operation.type': 'process' });
    }, hop);
    expect(captured.body.leadId).toEqual(expect.any(String));
  });

  it('a garbage traceparent, in a header or in an envelope, starts a new trace: never a failed request or a dead letter', async () => {
    await system.as(admin, 'inventory').get('/api/v1/items/TRACE-1').set('traceparent', 'not-a-trace-context').set('tracestate', '=,=').expect(200);
    const event = {
      ...createEvent('item.upserted', { subject: 'TRACE-2', data: { sku: 'TRACE-2', name: 'Traced bit', active: true, updatedAt: new Date().toISOString() } }),
      traceparent: '00-zz-nonsense',
      tracestate: 42,
    };
    const producer = (await testKafka()).producer();
    await producer.connect();
    await producer.send({
      topic: `${system.prefix}crm.inventory.v1`,
      messages: [{ key: 'TRACE-2', value: JSON.stringify(event), headers: { traceparent: '00-00000000000000000000000000000000-0000000000000000-01' } }],
    });
    await producer.disconnect();
    await eventually(async () => expect(await sql('orders', 'SELECT sku FROM catalogue_items WHERE sku = $1', ['TRACE-2'])).toHaveLength(1), hop);
    const consumer = await eventually(() => {
      const found = otlp.spans.find((s) => s.service === 'orders' && s.kind === SPAN_KIND.consumer && s.attributes['messaging.message.id'] === event.id);
      expect(found).toBeDefined();
      return found!;
    }, hop);
    expect(consumer.parentSpanId).toBeUndefined();
    const get = otlp.spans.find((s) => s.service === 'inventory' && s.kind === SPAN_KIND.server && s.attributes['http.route'] === '/api/v1/items/:sku');
    expect(get?.parentSpanId).toBeUndefined();
  });
});
