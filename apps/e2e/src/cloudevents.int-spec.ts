import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createCrmClient, unwrap } from '@crm/api-client';
import { cloudEventConformance, eventually, readTopic, startSystem, testKafka, type TestSystem } from '@crm/testing';
import { expectStatus, signedWebForm } from './journey.helpers';

// Issue 16, item 8 (docs/decisions/0014): real traffic from a web-form lead to a paid order through five services
// as real processes, then every topic of the run read with a plain consumer, as an outside system would. Each
// message must be a CloudEvent 1.0 in structured mode (the official JSON schema, the Kafka protocol binding's
// content-type, the key) and match the committed AsyncAPI document's schema for its channel and type.
jest.setTimeout(300_000);

const WEBFORM_SECRET = 'cloudevents-webform-secret-0123456789';
const team = 'east';
const rep = { sub: randomUUID(), roles: ['sales_rep'], team };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team };
const admin = { sub: 'admin-1', roles: ['admin'] };
const hop = { timeoutMs: 30_000, intervalMs: 250 };
// The committed document, as an integrator downloads it.
const asyncapi = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'libs', 'contracts', 'asyncapi.json'), 'utf8'));
const conformance = cloudEventConformance(asyncapi);
const EXPECTED_TYPES = [
  'crm.rep.upserted',
  'crm.lead.captured',
  'crm.lead.assigned',
  'crm.lead.converted',
  'crm.opportunity.created',
  'crm.opportunity.won',
  'crm.order.drafted',
  'crm.order.confirmed',
  'crm.order.allocated',
  'crm.item.upserted',
  'crm.stock.received',
  'crm.stock.deducted',
  'crm.receivable.created',
  'crm.payment.received',
];

describe('every message on every topic is a CloudEvent 1.0 in structured mode, as the AsyncAPI document says', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startSystem(['leads', 'opportunities', 'orders', 'inventory', 'finance'], { env: { LEADS_WEBFORM_SECRET: WEBFORM_SECRET } });
  });
  afterAll(() => system?.stop());

  it('lead → opportunity → won → order → stock and receivable → paid, then every message of the run validates', async () => {
    const leads = system.as(admin, 'leads');
    await leads
      .post('/api/v1/reps')
      .send({ id: rep.sub, name: 'Zhou Lan', email: 'zhou.lan@crm.example', team, regions: ['east-coast'], capacity: 10 })
      .expect(201);
    await leads
      .post('/api/v1/assignment-rules')
      .send({ name: 'East', position: 0, match: { regions: ['east-coast'] }, target: { kind: 'team', team }, followUpHours: 72 })
      .expect(201);
    const inventory = system.as(admin, 'inventory');
    await inventory
      .put('/api/v1/items/VALVE-7')
      .send({ name: 'Valve 7', productLine: 'valves', reorderPoint: 0 })
      .expect((r) => expect([200, 201]).toContain(r.status));
    await inventory.post('/api/v1/stock/receipts').send({ sku: 'VALVE-7', warehouseId: 'main', quantity: 20 }).expect(201);

    const form = {
      name: 'Sun Hao',
      email: 'sun.hao@harbour.example',
      company: 'Harbour Valves',
      region: 'east-coast',
      productInterest: 'valves',
      needs: '12 valves',
    };
    const website = createCrmClient({ baseUrl: system.services.leads.url });
    const { leadId } = await unwrap(expectStatus(signedWebForm(website, WEBFORM_SECRET, form), 201));
    const repLeads = system.as(rep, 'leads');
    await eventually(async () => expect((await repLeads.get(`/api/v1/leads/${leadId}`).expect(200)).body.status).toBe('assigned'), hop);
    await repLeads
      .post(`/api/v1/leads/${leadId}/follow-ups`)
      .send({ channel: 'call', content: 'Discovery call', nextAction: 'send quote', nextActionDueAt: new Date(Date.now() + 86_400_000).toISOString() })
      .expect(201);
    await repLeads.post(`/api/v1/leads/${leadId}/qualify`).send({ note: 'budget approved' }).expect(200);
    const closeDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await repLeads
      .post(`/api/v1/leads/${leadId}/convert`)
      .send({ expectedAmount: '1200.00', currency: 'USD', expectedCloseDate: closeDate, productNeeds: ['valve × 12'] })
      .expect(200);

    const opportunities = system.as(rep, 'opportunities');
    const oppId = await eventually(async () => {
      const { body } = await opportunities.get('/api/v1/opportunities').expect(200);
      expect(body.items).toHaveLength(1);
      return body.items[0].id as string;
    }, hop);
    await opportunities
      .patch(`/api/v1/opportunities/${oppId}`)
      .send({
        fields: { needsReport: 'https://docs.example/harbour.pdf' },
        lines: [{ sku: 'VALVE-7', productName: 'Valve 7', quantity: 12, unitPrice: '100.00' }],
      })
      .expect(200);
    await opportunities.post(`/api/v1/opportunities/${oppId}/win`).send({ paymentTerms: 'NET30' }).expect(200);

    const orders = system.as(rep, 'orders');
    const orderId = await eventually(async () => {
      const { body } = await orders.get('/api/v1/orders').expect(200);
      expect(body.items).toHaveLength(1);
      return body.items[0].id as string;
    }, hop);
    await eventually(() => orders.post(`/api/v1/orders/${orderId}/submit`).expect(200), hop);
    await system.as(manager, 'orders').post(`/api/v1/orders/${orderId}/confirm`).expect(200);
    await eventually(async () => expect((await orders.get(`/api/v1/orders/${orderId}`).expect(200)).body.status).toBe('allocated'), hop);
    const receivable = await eventually(async () => (await system.as(rep, 'finance').get(`/api/v1/receivables/by-order/${orderId}`).expect(200)).body, hop);
    await system
      .as(manager, 'finance')
      .post(`/api/v1/receivables/${receivable.id}/payments`)
      .send({ amount: receivable.amount, currency: 'USD', method: 'bank_transfer', reference: 'TT-CE-1' })
      .expect(201);

    // Every topic of this run, as the broker lists it: one the AsyncAPI document does not describe fails too.
    // Read again until the relays have published the last step.
    const kafka = await testKafka('cloudevents-reader');
    const run = await eventually(async () => {
      const kafkaAdmin = kafka.admin();
      await kafkaAdmin.connect();
      const topics = (await kafkaAdmin.listTopics().finally(() => kafkaAdmin.disconnect())).filter((t) => t.startsWith(system.prefix)).sort();
      const problems: string[] = [];
      const types = new Map<string, Set<string>>();
      for (const topic of topics) {
        const address = topic.slice(system.prefix.length);
        for (const message of await readTopic(kafka, topic)) {
          for (const p of conformance.problems(address, message)) problems.push(`${address}[${message.partition}]@${message.offset}: ${p}`);
          if (!address.endsWith('.dlq')) types.set(address, (types.get(address) ?? new Set()).add(JSON.parse(message.value ?? '{}').type));
        }
      }
      expect([...types.values()].flatMap((t) => [...t])).toEqual(expect.arrayContaining(EXPECTED_TYPES));
      return { problems, topics: [...types.keys()].sort() };
    }, hop);
    expect(run.problems).toEqual([]);
    expect(run.topics).toEqual(['crm.finance.v1', 'crm.inventory.v1', 'crm.leads.v1', 'crm.opportunities.v1', 'crm.orders.v1', 'crm.reps.v1']);
  });
});
