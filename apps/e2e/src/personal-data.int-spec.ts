import { execFile } from 'node:child_process';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { createCrmClient, exportChecksum, exportPersonalData, PERSONAL_DATA_SERVICES, type PersonalDataPart } from '@crm/api-client';
import { ERASED } from '@crm/privacy';
import { eventually, startSystem, storedTexts, TEST_JWT_SECRET, testInfra, testKafka, type TestSystem } from '@crm/testing';
import { findLeaks, rawMessages, stringLeaves, topicsOf, type Leak } from './personal-data.helpers';

// The right of access and the right to erasure, across the whole system (ADR 0024): one person with a lead, a
// follow-up, an opportunity, an order and a paid receivable in every service; their data exported as one file
// that matches what each service's API says; then erased. Afterwards no database, API answer, topic message
// (DLQs too) or log line holds their name, e-mail or phone byte for byte, the sales figures are unchanged to the
// cent, and a rebuild of analytics from the topics gives the same figures without reading the values back.
jest.setTimeout(900_000);

const ROOT = resolve(__dirname, '..', '..', '..');
const SERVICES = ['leads', 'opportunities', 'orders', 'inventory', 'finance', 'analytics', 'customers', 'notifications'] as const;
const suffix = randomBytes(4).toString('hex');
const LATIN = `Lindqvist-${suffix}`;
const NAME = `张伟 ${LATIN}`;
const EMAIL_LOCAL = `zw.${randomBytes(4).toString('hex')}`;
const EMAIL = `${EMAIL_LOCAL}@erasure-test.example`;
const PHONE = `+86139${String(randomInt(10_000_000, 99_999_999))}`;
// Each alone too: a partial copy (the Latin part of the name, the phone without its +) is a leak as well.
const VALUES = [NAME, LATIN, EMAIL, EMAIL_LOCAL, PHONE, PHONE.slice(1)];

const team = `pd-${suffix}`;
const region = `pd-land-${suffix}`;
const rep = { sub: randomUUID(), roles: ['sales_rep'], team };
const admin = { sub: randomUUID(), roles: ['admin'] };
const website = { sub: 'website-bot', roles: ['integration'] };
const hop = { timeoutMs: 90_000, intervalMs: 500 };
const AMOUNT = '1234.56';

interface Person {
  leadId: string;
  contactId: string;
  opportunityId: string;
  orderId: string;
  receivableId: string;
  paymentId?: string;
}

describe('a person’s data is exported as one file and erased everywhere (real Kafka and PostgreSQL, all services)', () => {
  let system: TestSystem;
  let person: Person;
  let salesBefore: unknown;
  /** Every API answer read about the person's records after the erasure, for the byte search. */
  const answersAfter: { where: string; body: string }[] = [];
  const today = () => new Date().toISOString().slice(0, 10);
  const api = (service: (typeof SERVICES)[number]) => system.as(admin, service);
  const read = async (service: (typeof SERVICES)[number], url: string) => (await api(service).get(url).expect(200)).body;
  const part = async (service: (typeof PERSONAL_DATA_SERVICES)[number]): Promise<PersonalDataPart> =>
    read(service as (typeof SERVICES)[number], `/api/v1/personal-data/${service}?contactId=${person.contactId}`);
  /** Today's sales of the test's team, by region, in USD (asOf aside). */
  const sales = async () => {
    const { asOf: _, ...body } = await read('analytics', `/api/v1/analytics/sales?from=${today()}&to=${today()}&team=${team}&groupBy=region&currency=USD`);
    return body;
  };
  const measureCents = (body: { series: { measure: string; points: { y: string }[] }[] }, measure: string) =>
    body.series.find((s) => s.measure === measure)?.points.reduce((a, p) => a + Math.round(Number(p.y) * 100), 0);

  beforeAll(async () => {
    system = await startSystem([...SERVICES], {
      env: { ORDERS_AUTO_CONFIRM_LIMITS: 'USD:100000', LOG_LEVEL: 'info' },
      readyTimeoutMs: 300_000,
      captureOutput: true,
    });
    await api('leads')
      .post('/api/v1/reps')
      .send({ id: rep.sub, name: 'Privacy Rep', email: `rep.${suffix}@crm.example`, team, regions: [region], capacity: 50 })
      .expect(201);
    await api('leads')
      .post('/api/v1/assignment-rules')
      .send({ name: `PD ${suffix}`, position: 0, match: { regions: [region] }, target: { kind: 'team', team }, followUpHours: 72 })
      .expect(201);
    await api('inventory')
      .put('/api/v1/items/PD-1')
      .send({ name: 'Pump', productLine: 'pumps', reorderPoint: 0 })
      .expect((r) => expect([200, 201]).toContain(r.status));
    await api('inventory').post('/api/v1/stock/receipts').send({ sku: 'PD-1', warehouseId: 'main', quantity: 100 }).expect(201);
  }, 900_000);
  afterAll(() => system?.stop());

  it('a lead, followed up, converted, won, ordered, invoiced and paid: the person is in every service', async () => {
    const leads = system.as(rep, 'leads');
    const captured = await system
      .as(website, 'leads')
      .post('/api/v1/leads')
      .send({ name: NAME, email: EMAIL, phone: PHONE, company: `Erasure Pumps ${suffix}`, source: 'phone', region, needs: `${NAME} needs 40 pumps` })
      .expect(201);
    const leadId = captured.body.leadId as string;
    await eventually(async () => expect((await leads.get(`/api/v1/leads/${leadId}`).expect(200)).body.ownerRepId).toBe(rep.sub), hop);
    await leads
      .post(`/api/v1/leads/${leadId}/follow-ups`)
      .send({ channel: 'call', content: `Called ${NAME} on ${PHONE}`, customerFeedback: `价格可以接受 — ${EMAIL}` })
      .expect(201);
    await leads.post(`/api/v1/leads/${leadId}/qualify`).send({ note: 'budget approved' }).expect(200);
    const closeDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await leads.post(`/api/v1/leads/${leadId}/convert`).send({ expectedAmount: AMOUNT, currency: 'USD', expectedCloseDate: closeDate }).expect(200);
    const lead = await eventually(async () => {
      const { body } = await leads.get(`/api/v1/leads/${leadId}`).expect(200);
      expect(body.contactId).toEqual(expect.any(String));
      return body;
    }, hop);
    const opportunity = await eventually(async () => {
      const { body } = await system.as(rep, 'opportunities').get('/api/v1/opportunities?limit=200').expect(200);
      const found = body.items.find((o: { leadId: string }) => o.leadId === leadId);
      expect(found).toMatchObject({ contactId: lead.contactId });
      return found;
    }, hop);
    await system
      .as(rep, 'opportunities')
      .patch(`/api/v1/opportunities/${opportunity.id}`)
      .send({ fields: { needsReport: 'https://docs.example/needs.pdf' }, lines: [{ sku: 'PD-1', productName: 'Pump', quantity: 1, unitPrice: AMOUNT }] })
      .expect(200);
    await system.as(rep, 'opportunities').post(`/api/v1/opportunities/${opportunity.id}/win`).send({ paymentTerms: 'NET30' }).expect(200);
    const order = await eventually(async () => {
      const { body } = await system.as(rep, 'orders').get('/api/v1/orders?limit=200').expect(200);
      const found = body.items.find((o: { opportunityId: string }) => o.opportunityId === opportunity.id);
      expect(found).toBeDefined();
      return found;
    }, hop);
    await eventually(() => system.as(rep, 'orders').post(`/api/v1/orders/${order.id}/submit`).expect(200), hop);
    const receivable = await eventually(async () => {
      const { body } = await api('finance').get(`/api/v1/receivables/by-order/${order.id}`).expect(200);
      expect(body).toMatchObject({ amount: AMOUNT });
      return body;
    }, hop);
    const paid = await api('finance')
      .post(`/api/v1/receivables/${receivable.id}/payments`)
      .send({ amount: AMOUNT, currency: 'USD', method: 'bank_transfer', reference: `TT-PD-${suffix}` })
      .expect(201);
    person = { leadId, contactId: lead.contactId, opportunityId: opportunity.id, orderId: order.id, receivableId: receivable.id, paymentId: paid.body.id };

    // Analytics has the order and its payment, to the cent: the figures the erasure must leave alone.
    const cents = Math.round(Number(AMOUNT) * 100);
    salesBefore = await eventually(async () => {
      const body = await sales();
      expect(measureCents(body, 'confirmed')).toBe(cents);
      expect(measureCents(body, 'paid')).toBe(cents);
      return body;
    }, hop);
  });

  it('the export: every service’s part, assembled into one file, says what each service’s API says', async () => {
    const parts = Object.fromEntries(await Promise.all(PERSONAL_DATA_SERVICES.map(async (s) => [s, await part(s)] as const)));
    for (const [service, p] of Object.entries(parts))
      expect(p).toMatchObject({ service, subject: { contactId: person.contactId }, records: expect.any(Object) });
    const holds = (service: keyof typeof parts, ...values: (string | undefined)[]) =>
      expect([...stringLeaves(parts[service].records)]).toEqual(expect.arrayContaining(values.filter((v): v is string => v !== undefined)));

    const lead = await read('leads', `/api/v1/leads/${person.leadId}`);
    const followUps = await read('leads', `/api/v1/leads/${person.leadId}/follow-ups`);
    holds(
      'leads',
      person.leadId,
      lead.contactName ?? lead.name,
      lead.email,
      lead.phone,
      ...followUps.items.flatMap((f: { id: string; content: string }) => [f.id, f.content]),
    );
    expect([lead.email, lead.phone]).toEqual([EMAIL, PHONE]);
    const contact = await read('customers', `/api/v1/contacts/${person.contactId}`);
    holds('customers', person.contactId, contact.name, EMAIL, PHONE);
    const opportunity = await read('opportunities', `/api/v1/opportunities/${person.opportunityId}`);
    holds('opportunities', opportunity.id, opportunity.leadId);
    const order = await read('orders', `/api/v1/orders/${person.orderId}`);
    holds('orders', order.id, order.opportunityId, ...(order.lines ?? []).map((l: { sku: string }) => l.sku));
    const receivable = await read('finance', `/api/v1/receivables/${person.receivableId}`);
    holds('finance', receivable.id, receivable.orderId, person.paymentId);
    expect([...stringLeaves(parts.finance.records)]).toContain(AMOUNT);

    // The tool's assembly, each part from the service's own origin with an admin token: the same records.
    const token = system.token(admin);
    const file = await exportPersonalData((s) => createCrmClient({ baseUrl: system.services[s].url, token }), { contactId: person.contactId });
    for (const service of PERSONAL_DATA_SERVICES) expect(file.parts[service].records).toEqual(parts[service].records);
    expect(file.sha256).toBe(await exportChecksum(file));
    expect(JSON.stringify(file)).toContain(EMAIL);
    // By the lead too: every service answers (finance with nothing, it knows no leads), the lead's own part holds it.
    const byLead = await exportPersonalData((s) => createCrmClient({ baseUrl: system.services[s].url, token }), { leadId: person.leadId });
    expect(Object.keys(byLead.parts).sort()).toEqual([...PERSONAL_DATA_SERVICES].sort());
    expect([...stringLeaves(byLead.parts.leads.records)]).toEqual(expect.arrayContaining([person.leadId, EMAIL]));
  });

  it('the erasure scrubs every service; afterwards nothing anywhere holds the name, e-mail or phone', async () => {
    const erasure = await api('customers')
      .post(`/api/v1/contacts/${person.contactId}/erasure`)
      .send({ reason: 'PIPL art. 47 request by the person, ticket PD-1' })
      .expect(200);
    expect(erasure.body).toMatchObject({
      contactId: person.contactId,
      leadIds: [person.leadId],
      opportunityIds: [person.opportunityId],
      orderIds: [person.orderId],
      receivableIds: [person.receivableId],
    });

    // (d) every service has scrubbed: the parts still list the records (the business facts stay), without the values.
    for (const service of PERSONAL_DATA_SERVICES) {
      await eventually(async () => {
        const after = await part(service);
        expect(findLeaks(`GET personal-data/${service}`, JSON.stringify(after), VALUES)).toEqual([]);
        answersAfter.push({ where: `GET personal-data/${service}`, body: JSON.stringify(after) });
      }, hop);
    }
    const lead = await eventually(async () => {
      const body = await read('leads', `/api/v1/leads/${person.leadId}`);
      expect(body.contactName ?? body.name).toBe(ERASED);
      return body;
    }, hop);
    expect(lead).toMatchObject({ id: person.leadId, contactId: person.contactId });
    expect([ERASED, null, undefined]).toContain(lead.email);
    expect([ERASED, null, undefined]).toContain(lead.phone);
    for (const [service, url] of [
      ['leads', `/api/v1/leads/${person.leadId}`],
      ['leads', `/api/v1/leads/${person.leadId}/follow-ups`],
      ['customers', `/api/v1/contacts/${person.contactId}`],
      ['opportunities', `/api/v1/opportunities/${person.opportunityId}`],
      ['orders', `/api/v1/orders/${person.orderId}`],
      ['finance', `/api/v1/receivables/${person.receivableId}`],
      ['leads', `/api/v1/leads?limit=200`],
      ['opportunities', `/api/v1/opportunities?limit=200`],
      ['orders', `/api/v1/orders?limit=200`],
    ] as const) {
      answersAfter.push({ where: `GET ${url} (${service})`, body: JSON.stringify(await read(service, url)) });
    }
    expect((await read('orders', `/api/v1/orders/${person.orderId}`)).id).toBe(person.orderId);

    // (e) byte for byte: every API answer read, every row of every table, every message of every topic, every log line.
    const leaks: Leak[] = answersAfter.flatMap((a) => findLeaks(a.where, a.body, VALUES));
    for (const service of SERVICES) {
      for (const { where, text } of await storedTexts(system.databases[service].url)) leaks.push(...findLeaks(`${service} db ${where}`, text, VALUES));
    }
    for (const { where, text } of await storedTexts(system.vault.url)) leaks.push(...findLeaks(`vault ${where}`, text, VALUES));
    const kafka = await testKafka('personal-data-reader');
    const topics = await topicsOf(kafka, system.prefix);
    expect(topics.some((t) => t.endsWith('.dlq'))).toBe(true);
    for (const topic of topics) {
      (await rawMessages(kafka, topic)).forEach((m, i) => leaks.push(...findLeaks(`topic ${topic} #${i}`, m, VALUES)));
    }
    for (const service of SERVICES) {
      const output = system.services[service].output();
      expect(output.length).toBeGreaterThan(0);
      leaks.push(...findLeaks(`${service} logs`, output, VALUES));
    }
    expect(leaks).toEqual([]);

    // (f) the figures are unchanged to the cent.
    expect(await sales()).toEqual(salesBefore);

    // The trails record the export and the erasure, by the admin (the leads one from contact.erased's `by`), and
    // no personal value reads any more: the fields erased and every earlier change read "[erased]".
    type Entry = { action: string; actor: string; changes: { field: string; old: unknown; new: unknown; personal: boolean }[] };
    const trail = async (service: 'customers' | 'leads', recordType: string, recordId: string): Promise<Entry[]> => {
      const { body } = await api(service).get(`/api/v1/audit/${service}?recordType=${recordType}&recordId=${recordId}&limit=200`).expect(200);
      expect(findLeaks(`GET audit/${service}`, JSON.stringify(body), VALUES)).toEqual([]);
      return body.items;
    };
    const contactTrail = await trail('customers', 'contact', person.contactId);
    expect(contactTrail.map((e) => e.action)).toEqual(expect.arrayContaining(['exported', 'erased']));
    const contactErased = contactTrail.find((e) => e.action === 'erased')!;
    expect(contactErased.actor).toBe(admin.sub);
    expect(contactErased.changes.map((c) => c.field)).toEqual(['name', 'title', 'emails', 'phones']);
    for (const change of contactTrail.flatMap((e) => e.changes).filter((c) => c.personal)) expect([change.old, change.new]).toEqual([ERASED, ERASED]);
    const leadTrail = await trail('leads', 'lead', person.leadId);
    expect(leadTrail.find((e) => e.action === 'erased')).toMatchObject({ actor: admin.sub });
    for (const change of leadTrail.flatMap((e) => e.changes).filter((c) => c.personal)) expect([change.old, change.new]).toEqual([ERASED, ERASED]);
  });

  it('(g) a full analytics rebuild from the topics gives the same figures, and its database holds none of the values', async () => {
    const infra = await testInfra();
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['-r', './tools/register.js', 'apps/analytics/src/rebuild.ts'], {
      cwd: ROOT,
      timeout: 300_000,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        JWT_SECRET: TEST_JWT_SECRET,
        KAFKA_BROKERS: infra.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: system.prefix,
        ANALYTICS_DATABASE_URL: system.databases.analytics.url,
        VAULT_DATABASE_URL: system.vault.url,
      },
    });
    expect(stdout + stderr).toMatch(/rebuild done: [1-9]\d* applied, \d+ skipped, 0 failed/);
    const leaks = [...findLeaks('rebuild output', stdout + stderr, VALUES)];
    expect(await sales()).toEqual(salesBefore);
    for (const { where, text } of await storedTexts(system.databases.analytics.url))
      leaks.push(...findLeaks(`analytics db ${where} after rebuild`, text, VALUES));
    expect(leaks).toEqual([]);
  });
});
