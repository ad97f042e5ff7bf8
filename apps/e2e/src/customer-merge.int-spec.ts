import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Topics, type EventEnvelope } from '@crm/contracts';
import { eventually, readTopic, startSystem, testKafka, type TestSystem } from '@crm/testing';

// Merging two accounts reaches every service by events, and so does its undo (ADR 0018): all seven services as
// real processes, driven over HTTP; the databases are read only to check what no API shows (analytics' facts,
// the inboxes).
jest.setTimeout(600_000);

const team = 'merge';
const region = 'merge-land';
const rep = { sub: randomUUID(), roles: ['sales_rep'], team };
const admin = { sub: 'admin-1', roles: ['admin'] };
const website = { sub: 'website-bot', roles: ['integration'] };
const hop = { timeoutMs: 60_000, intervalMs: 500 };
const SERVICES_WITH_REFS = ['leads', 'opportunities', 'orders', 'finance', 'analytics', 'customers'] as const;
// The timeline's entries of the records themselves (merges add account entries of their own).
const RECORD_KINDS = 'recordKind=lead,opportunity,order,receivable';

interface Deal {
  leadId: string;
  contactId: string;
  opportunityId: string;
  orderId: string;
  receivableId: string;
  total: string;
}

describe('merging two accounts re-points every service, and its undo restores them (real Kafka and PostgreSQL)', () => {
  let system: TestSystem;
  const accounts: Record<'alpha' | 'beta', { id: string; deals: Deal[] }> = { alpha: { id: '', deals: [] }, beta: { id: '', deals: [] } };
  let mergeId: string;
  let betaTimeline: string[] = [];
  const today = () => new Date().toISOString().slice(0, 10);

  const sql = async <T = Record<string, unknown>>(service: string, text: string, params: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: system.databases[service].url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const get = async (service: (typeof SERVICES_WITH_REFS)[number], url: string) => (await system.as(admin, service).get(url).expect(200)).body;

  /** A lead of the company, followed up, qualified, converted, won and ordered; the order confirms itself and is invoiced. */
  async function deal(company: string, email: string, amount: string): Promise<Deal & { accountId: string }> {
    const leads = system.as(rep, 'leads');
    const captured = await system
      .as(website, 'leads')
      .post('/api/v1/leads')
      .send({ name: email.split('@')[0], email, company, source: 'phone', region })
      .expect(201);
    const leadId = captured.body.leadId as string;
    await eventually(async () => expect((await leads.get(`/api/v1/leads/${leadId}`).expect(200)).body.ownerRepId).toBe(rep.sub), hop);
    await leads.post(`/api/v1/leads/${leadId}/follow-ups`).send({ channel: 'call', content: 'Discovery call' }).expect(201);
    await leads.post(`/api/v1/leads/${leadId}/qualify`).send({ note: 'budget approved' }).expect(200);
    const closeDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await leads.post(`/api/v1/leads/${leadId}/convert`).send({ expectedAmount: amount, currency: 'USD', expectedCloseDate: closeDate }).expect(200);

    // Customers resolves the converted lead; leads and the lead's opportunity take the pair.
    const lead = await eventually(async () => {
      const { body } = await leads.get(`/api/v1/leads/${leadId}`).expect(200);
      expect(body.accountId).toEqual(expect.any(String));
      expect(body.contactId).toEqual(expect.any(String));
      return body;
    }, hop);
    const opportunity = await eventually(async () => {
      const { body } = await system.as(rep, 'opportunities').get('/api/v1/opportunities?limit=200').expect(200);
      const found = body.items.find((o: { leadId: string }) => o.leadId === leadId);
      expect(found).toMatchObject({ accountId: lead.accountId, contactId: lead.contactId });
      return found;
    }, hop);
    await system
      .as(rep, 'opportunities')
      .patch(`/api/v1/opportunities/${opportunity.id}`)
      .send({ fields: { needsReport: 'https://docs.example/needs.pdf' }, lines: [{ sku: 'MIX-1', productName: 'Mixer', quantity: 1, unitPrice: amount }] })
      .expect(200);
    await system.as(rep, 'opportunities').post(`/api/v1/opportunities/${opportunity.id}/win`).send({ paymentTerms: 'NET30' }).expect(200);

    // Orders drafts the order with the account; submitted under the limit, it confirms itself; finance invoices it.
    const order = await eventually(async () => {
      const { body } = await system.as(rep, 'orders').get('/api/v1/orders?limit=200').expect(200);
      const found = body.items.find((o: { opportunityId: string }) => o.opportunityId === opportunity.id);
      expect(found).toMatchObject({ accountId: lead.accountId });
      return found;
    }, hop);
    await eventually(() => system.as(rep, 'orders').post(`/api/v1/orders/${order.id}/submit`).expect(200), hop);
    const receivable = await eventually(async () => {
      const { body } = await system.as(admin, 'finance').get(`/api/v1/receivables/by-order/${order.id}`).expect(200);
      expect(body).toMatchObject({ accountId: lead.accountId, amount });
      return body;
    }, hop);
    return {
      accountId: lead.accountId,
      leadId,
      contactId: lead.contactId,
      opportunityId: opportunity.id,
      orderId: order.id,
      receivableId: receivable.id,
      total: amount,
    };
  }

  /** Where each record of the account's deals points now, in every service that keeps the id. */
  async function pointsOf(deals: Deal[]) {
    const out: Record<string, string | null>[] = [];
    for (const d of deals) {
      const [facts] = await sql<{ lead: string; opportunity: string; order: string }>(
        'analytics',
        `SELECT (SELECT account_id FROM lead_facts WHERE lead_id = $1) AS lead, (SELECT account_id FROM opportunity_facts WHERE opportunity_id = $2) AS opportunity,
                (SELECT account_id FROM order_facts WHERE order_id = $3) AS order`,
        [d.leadId, d.opportunityId, d.orderId],
      );
      out.push({
        lead: (await get('leads', `/api/v1/leads/${d.leadId}`)).accountId,
        opportunity: (await get('opportunities', `/api/v1/opportunities/${d.opportunityId}`)).accountId,
        order: (await get('orders', `/api/v1/orders/${d.orderId}`)).accountId,
        receivable: (await get('finance', `/api/v1/receivables/${d.receivableId}`)).accountId,
        analyticsLead: facts.lead,
        analyticsOpportunity: facts.opportunity,
        analyticsOrder: facts.order,
      });
    }
    return out;
  }
  const all = (deals: Deal[], accountId: string) =>
    deals.map(() => ({
      lead: accountId,
      opportunity: accountId,
      order: accountId,
      receivable: accountId,
      analyticsLead: accountId,
      analyticsOpportunity: accountId,
      analyticsOrder: accountId,
    }));
  const timeline = async (accountId: string): Promise<string[]> =>
    (await get('customers', `/api/v1/accounts/${accountId}/timeline?limit=200&${RECORD_KINDS}`)).items.map((e: { id: string }) => e.id).sort();
  /** The account's entries once at least one of each record is there and two reads a second apart agree. */
  const settledTimeline = (accountId: string) =>
    eventually(async () => {
      const first = await timeline(accountId);
      expect(first.length).toBeGreaterThanOrEqual(8); // two each of leads, opportunities, orders and receivables
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await timeline(accountId)).toEqual(first);
      return first;
    }, hop);
  /** Today's sales in USD as analytics reports them (asOf aside). */
  const sales = async () => {
    const { asOf: _, ...body } = await get('analytics', `/api/v1/analytics/sales?from=${today()}&to=${today()}&currency=USD`);
    return body;
  };
  const confirmedToday = async () => {
    const body = await sales();
    return body.series
      .find((s: { measure: string }) => s.measure === 'confirmed')
      ?.points.reduce((a: number, p: { y: string }) => a + Math.round(Number(p.y) * 100), 0);
  };

  beforeAll(async () => {
    system = await startSystem(['leads', 'opportunities', 'orders', 'inventory', 'finance', 'analytics', 'customers'], {
      env: { ORDERS_AUTO_CONFIRM_LIMITS: 'USD:100000' },
      readyTimeoutMs: 240_000,
    });
    await system
      .as(admin, 'leads')
      .post('/api/v1/reps')
      .send({ id: rep.sub, name: 'Merge Rep', email: 'merge.rep@crm.example', team, regions: [region], capacity: 50 })
      .expect(201);
    await system
      .as(admin, 'leads')
      .post('/api/v1/assignment-rules')
      .send({ name: 'Merge land', position: 0, match: { regions: [region] }, target: { kind: 'team', team }, followUpHours: 72 })
      .expect(201);
    const inventory = system.as(admin, 'inventory');
    await inventory
      .put('/api/v1/items/MIX-1')
      .send({ name: 'Mixer', productLine: 'mixers', reorderPoint: 0 })
      .expect((r) => expect([200, 201]).toContain(r.status));
    await inventory.post('/api/v1/stock/receipts').send({ sku: 'MIX-1', warehouseId: 'main', quantity: 100 }).expect(201);
  }, 600_000);
  afterAll(() => system?.stop());

  it('two accounts, each with leads, opportunities, orders and receivables in every service', async () => {
    for (const [key, company, domain, amounts] of [
      ['alpha', 'Alpha Mills', 'alpha-mills.example', ['1200.10', '310.05']],
      ['beta', 'Beta Tools', 'beta-tools.example', ['999.99', '45.50']],
    ] as const) {
      const made = [await deal(company, `ann@${domain}`, amounts[0]), await deal(company, `bob@${domain}`, amounts[1])];
      expect(made[1].accountId).toBe(made[0].accountId); // the same company: one account
      accounts[key] = { id: made[0].accountId, deals: made };
    }
    expect(accounts.alpha.id).not.toBe(accounts.beta.id);
    await eventually(async () => expect(await pointsOf(accounts.beta.deals)).toEqual(all(accounts.beta.deals, accounts.beta.id)), hop);
    await eventually(async () => expect(await pointsOf(accounts.alpha.deals)).toEqual(all(accounts.alpha.deals, accounts.alpha.id)), hop);
    // Analytics has every confirmed order, to the cent.
    const cents = [...accounts.alpha.deals, ...accounts.beta.deals].reduce((a, d) => a + Math.round(Number(d.total) * 100), 0);
    await eventually(async () => expect(await confirmedToday()).toBe(cents), hop);
  });

  it('the merge re-points leads, opportunities, orders, receivables and analytics; totals stay to the cent; the timeline holds both', async () => {
    const { alpha, beta } = accounts;
    const salesBefore = await sales();
    // Every record's entries reached each account's timeline before the merge (and no more are on their way).
    const [alphaEntries, betaEntries] = [await settledTimeline(alpha.id), await settledTimeline(beta.id)];
    expect(alphaEntries.filter((id) => betaEntries.includes(id))).toEqual([]);

    const survivor = await system.as(admin, 'customers').get(`/api/v1/accounts/${alpha.id}`).expect(200);
    const merged = await system
      .as(admin, 'customers')
      .post(`/api/v1/accounts/${alpha.id}/merge`)
      .set('If-Match', survivor.headers.etag)
      .send({ mergedId: beta.id })
      .expect(201);
    mergeId = merged.body.mergeId;
    expect(mergeId).toEqual(expect.any(String));

    await eventually(async () => expect(await pointsOf(beta.deals)).toEqual(all(beta.deals, alpha.id)), hop);
    expect(await pointsOf(alpha.deals)).toEqual(all(alpha.deals, alpha.id));
    expect(await sales()).toEqual(salesBefore);
    await eventually(async () => expect(await timeline(alpha.id)).toEqual(expect.arrayContaining([...alphaEntries, ...betaEntries])), hop);
    betaTimeline = betaEntries;
  });

  it('the undo restores every reference, and a redelivered merge event changes nothing more', async () => {
    const { alpha, beta } = accounts;
    const salesBefore = await sales();
    await system.as(admin, 'customers').post(`/api/v1/merges/${mergeId}/undo`).expect(200);
    await eventually(async () => expect(await pointsOf(beta.deals)).toEqual(all(beta.deals, beta.id)), hop);
    expect(await pointsOf(alpha.deals)).toEqual(all(alpha.deals, alpha.id));
    expect(await sales()).toEqual(salesBefore);
    // The survivor's timeline is its own again: none of the restored account's entries.
    await eventually(async () => expect((await timeline(alpha.id)).filter((id) => betaTimeline.includes(id))).toEqual([]), hop);
    await eventually(async () => expect(await timeline(beta.id)).toEqual(expect.arrayContaining(betaTimeline)), hop);
    const alphaEntries = await timeline(alpha.id);

    // The same account.merged again on the topic, as a relay would re-send it, and once more under a new event id (a replay).
    const kafka = await testKafka();
    const topic = `${system.prefix}${Topics.customers}`;
    const [message] = (await readTopic(kafka, topic)).filter((m) => {
      const e = JSON.parse(m.value ?? '{}') as EventEnvelope;
      return e.type === 'crm.account.merged' && (e.data as { mergeId: string }).mergeId === mergeId;
    });
    const original = JSON.parse(message.value!) as EventEnvelope;
    const replayed = { ...original, id: randomUUID() };
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: [
        { key: message.key, value: message.value },
        { key: message.key, value: JSON.stringify(replayed) },
      ],
    });
    await producer.disconnect();
    // Each service has applied (or refused as a duplicate) both deliveries.
    for (const service of SERVICES_WITH_REFS) {
      await eventually(async () => expect(await sql(service, 'SELECT 1 FROM inbox WHERE event_id = $1', [replayed.id])).not.toHaveLength(0), hop);
    }
    expect(await pointsOf(beta.deals)).toEqual(all(beta.deals, beta.id));
    expect(await pointsOf(alpha.deals)).toEqual(all(alpha.deals, alpha.id));
    expect(await sales()).toEqual(salesBefore);
    expect(await timeline(alpha.id)).toEqual(alphaEntries);
  });
});
