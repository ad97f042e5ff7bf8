import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Topics, type EventEnvelope } from '@crm/contracts';
import { eventually, readTopic, startSystem, testKafka, type TestSystem } from '@crm/testing';

// A leaving rep's open work goes to another rep in one request (ADR 0022): leads moves the open leads at once and
// publishes rep.handed_over; opportunities and orders move their open records from it, each with its own event
// and the reason; customers and notifications follow those events. Six services as real processes, driven over
// HTTP; the databases are read only for what no API shows (the copies).
jest.setTimeout(300_000);

const team = 'handover';
const region = 'hand-land';
const leaver = { sub: randomUUID(), roles: ['sales_rep'], team };
const taker = { sub: randomUUID(), roles: ['sales_rep'], team };
const inactive = randomUUID();
const manager = { sub: randomUUID(), roles: ['sales_manager'], team };
const admin = { sub: 'admin-1', roles: ['admin'] };
const website = { sub: 'website-bot', roles: ['integration'] };
const hop = { timeoutMs: 60_000, intervalMs: 300 };
const reason = '李伟调往西区 / Li Wei moves to the west region';

describe("handing a rep's open work over reaches every service (real Kafka and PostgreSQL)", () => {
  let system: TestSystem;
  const ids = { openLead: '', convertedLead: '', accountId: '', openOpportunity: '', lostOpportunity: '', openOrder: '', cancelledOrder: '' };

  const sql = async <T = Record<string, unknown>>(service: string, text: string, params: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: system.databases[service].url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const events = async (topic: string, type: string) =>
    (await readTopic(await testKafka(), `${system.prefix}${topic}`)).map((m) => JSON.parse(m.value ?? 'null') as EventEnvelope).filter((e) => e?.type === type);

  beforeAll(async () => {
    system = await startSystem(['leads', 'opportunities', 'orders', 'inventory', 'customers', 'notifications'], { readyTimeoutMs: 240_000 });
    const leads = system.as(admin, 'leads');
    for (const [id, name, active] of [
      [leaver.sub, 'Li Wei', true],
      [taker.sub, 'Wang Fang', true],
      [inactive, 'Zhao Lei', false],
    ] as const) {
      await leads
        .post('/api/v1/reps')
        .send({ id, name, email: `${randomUUID()}@crm.example`, team, regions: [region], capacity: 20, active })
        .expect(201);
    }
    await leads
      .post('/api/v1/assignment-rules')
      .send({ name: 'Hand land', position: 0, match: { regions: [region] }, target: { kind: 'rep', repId: leaver.sub } })
      .expect(201);
    await system
      .as(admin, 'inventory')
      .put('/api/v1/items/HOV-1')
      .send({ name: 'Oven', productLine: 'ovens', reorderPoint: 0 })
      .expect((r) => expect([200, 201]).toContain(r.status));
  }, 300_000);
  afterAll(() => system?.stop());

  it('gives the leaving rep open and closed leads, opportunities and orders on one account', async () => {
    const capture = async (name: string) =>
      (
        await system
          .as(website, 'leads')
          .post('/api/v1/leads')
          .send({ name, email: `${name.toLowerCase()}@handover-foods.example`, company: 'Handover Foods', source: 'phone', region })
          .expect(201)
      ).body.leadId as string;
    const asLeaver = system.as(leaver, 'leads');
    ids.openLead = await capture('Sun');
    ids.convertedLead = await capture('Qian');
    await asLeaver.post(`/api/v1/leads/${ids.convertedLead}/qualify`).send({}).expect(200);
    await asLeaver
      .post(`/api/v1/leads/${ids.convertedLead}/convert`)
      .send({ expectedAmount: '5000', currency: 'USD', expectedCloseDate: '2027-06-30' })
      .expect(200);

    const opportunities = system.as(leaver, 'opportunities');
    const fromLead = await eventually(async () => {
      const { body } = await opportunities.get('/api/v1/opportunities?limit=200').expect(200);
      const found = body.items.find((o: { leadId: string }) => o.leadId === ids.convertedLead);
      expect(found?.accountId).toEqual(expect.any(String));
      return found as { id: string; accountId: string };
    }, hop);
    ids.openOpportunity = fromLead.id;
    ids.accountId = fromLead.accountId;
    const lost = await opportunities
      .post('/api/v1/opportunities')
      .send({
        customer: { name: 'Qian', company: 'Handover Foods' },
        currency: 'USD',
        expectedCloseDate: '2027-03-31',
        expectedAmount: '800',
        accountId: ids.accountId,
      })
      .expect(201);
    await opportunities.post(`/api/v1/opportunities/${lost.body.id}/lose`).send({ reason: 'budget frozen' }).expect(200);
    ids.lostOpportunity = lost.body.id;

    const orders = system.as(leaver, 'orders');
    const order = {
      customer: { name: 'Qian', company: 'Handover Foods' },
      currency: 'USD',
      accountId: ids.accountId,
      lines: [{ sku: 'HOV-1', productName: 'Oven', quantity: 1, unitPrice: '900.00' }],
    };
    ids.openOrder = (await eventually(() => orders.post('/api/v1/orders').send(order).expect(201), hop)).body.id;
    ids.cancelledOrder = (await orders.post('/api/v1/orders').send(order).expect(201)).body.id;
    await orders.post(`/api/v1/orders/${ids.cancelledOrder}/cancel`).send({ reason: 'duplicate' }).expect(200);

    // The copies know the records' owner, and the new owner's name, before the hand-over.
    await eventually(async () => {
      const records = await sql('customers', 'SELECT record_id FROM customer_records WHERE rep_id = $1 AND record_id = ANY($2::uuid[])', [
        leaver.sub,
        [ids.openOpportunity, ids.openOrder],
      ]);
      expect(records).toHaveLength(2);
      expect(await sql('customers', 'SELECT name FROM rep_teams WHERE rep_id = $1', [taker.sub])).toEqual([{ name: 'Wang Fang' }]);
      const access = await sql('notifications', `SELECT record_id FROM record_access WHERE owner_id = $1 AND record_id = ANY($2)`, [
        leaver.sub,
        [ids.openOpportunity, ids.openOrder],
      ]);
      expect(access).toHaveLength(2);
    }, hop);
    // The rep who will take over sees nothing of the account yet.
    await system.as(taker, 'customers').get(`/api/v1/accounts/${ids.accountId}`).expect(404);
  });

  it('refuses a hand-over to an inactive rep, changing nothing', async () => {
    const refused = await system.as(manager, 'leads').post(`/api/v1/reps/${leaver.sub}/hand-over`).send({ toRepId: inactive, reason }).expect(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'REP_INACTIVE', errors: [expect.objectContaining({ field: 'toRepId' })] });
    expect((await system.as(admin, 'leads').get(`/api/v1/leads/${ids.openLead}`).expect(200)).body.ownerRepId).toBe(leaver.sub);
    expect(await events(Topics.reps, 'crm.rep.handed_over')).toEqual([]);
  });

  it('moves every open lead, opportunity and order to the new rep with the reason, leaves closed ones, and the copies follow', async () => {
    // The rep leaves first: handing over an inactive rep's work is the usual case.
    const rep = (await system.as(admin, 'leads').get(`/api/v1/reps/${leaver.sub}`).expect(200)).body;
    await system.as(admin, 'leads').patch(`/api/v1/reps/${leaver.sub}`).set('if-match', `"${rep.version}"`).send({ active: false }).expect(200);

    const started = Date.now();
    const done = await system.as(manager, 'leads').post(`/api/v1/reps/${leaver.sub}/hand-over`).send({ toRepId: taker.sub, reason }).expect(202);
    expect(done.body).toMatchObject({ fromRepId: leaver.sub, toRepId: taker.sub, reason, leadsMoved: 1, kinds: ['leads', 'opportunities', 'orders'] });
    const handOverId = done.body.id as string;

    const owner = async (service: 'leads' | 'opportunities' | 'orders', path: string, field: 'ownerRepId' | 'repId') =>
      (await system.as(admin, service).get(path).expect(200)).body[field] as string;
    await eventually(async () => {
      expect(await owner('opportunities', `/api/v1/opportunities/${ids.openOpportunity}`, 'repId')).toBe(taker.sub);
      expect(await owner('orders', `/api/v1/orders/${ids.openOrder}`, 'repId')).toBe(taker.sub);
    }, hop);
    const followedWithinMs = Date.now() - started;
    expect(await owner('leads', `/api/v1/leads/${ids.openLead}`, 'ownerRepId')).toBe(taker.sub);
    // History keeps its owner.
    expect(await owner('leads', `/api/v1/leads/${ids.convertedLead}`, 'ownerRepId')).toBe(leaver.sub);
    expect(await owner('opportunities', `/api/v1/opportunities/${ids.lostOpportunity}`, 'repId')).toBe(leaver.sub);
    expect(await owner('orders', `/api/v1/orders/${ids.cancelledOrder}`, 'repId')).toBe(leaver.sub);
    // The records lists filtered by the old owner show what is left: nothing open.
    const open = await system.as(admin, 'opportunities').get(`/api/v1/opportunities?repId=${leaver.sub}&status=open`).expect(200);
    expect(open.body.items).toEqual([]);

    // Each record's change is its own event, with the reason and the hand-over id.
    const mine = (list: EventEnvelope[]) => list.filter((e) => (e.data as { handOverId?: string }).handOverId === handOverId).map((e) => [e.subject, e.data]);
    expect(mine(await events(Topics.leads, 'crm.lead.reassigned'))).toEqual([[ids.openLead, expect.objectContaining({ toRepId: taker.sub, note: reason })]]);
    expect(mine(await events(Topics.opportunities, 'crm.opportunity.reassigned'))).toEqual([
      [ids.openOpportunity, expect.objectContaining({ fromRepId: leaver.sub, toRepId: taker.sub, team, reason, by: manager.sub })],
    ]);
    expect(mine(await events(Topics.orders, 'crm.order.reassigned'))).toEqual([
      [ids.openOrder, expect.objectContaining({ fromRepId: leaver.sub, toRepId: taker.sub, status: 'draft', reason })],
    ]);

    // Customers: the new owner now sees the account, and its timeline says who took the records over and why.
    const timeline = await eventually(async () => {
      await system.as(taker, 'customers').get(`/api/v1/accounts/${ids.accountId}`).expect(200);
      const { body } = await system
        .as(taker, 'customers')
        .get(`/api/v1/accounts/${ids.accountId}/timeline?kind=opportunity.reassigned,order.reassigned`)
        .expect(200);
      expect(body.items).toHaveLength(2);
      return body.items as { kind: string; recordId: string; detail: Record<string, unknown> }[];
    }, hop);
    for (const entry of timeline) expect(entry.detail).toMatchObject({ toRepId: taker.sub, toRepName: 'Wang Fang', reason, handOverId });
    expect(
      await sql('customers', 'SELECT record_id, rep_id FROM customer_records WHERE record_id = ANY($1::uuid[]) ORDER BY record_id', [
        [ids.openOpportunity, ids.openOrder, ids.lostOpportunity],
      ]),
    ).toEqual(
      [
        { record_id: ids.openOpportunity, rep_id: taker.sub },
        { record_id: ids.openOrder, rep_id: taker.sub },
        { record_id: ids.lostOpportunity, rep_id: leaver.sub },
      ].sort((a, b) => a.record_id.localeCompare(b.record_id)),
    );

    // Notifications: the owner copies moved, and the new owner was told of each record, with the reason.
    await eventually(async () => {
      const { body } = await system.as(taker, 'notifications').get('/api/v1/notifications?limit=50').set('accept-language', 'en').expect(200);
      const told = body.items.filter((n: { type: string }) => n.type.endsWith('_handed_over'));
      expect(told.map((n: { type: string; recordId: string }) => [n.type, n.recordId]).sort()).toEqual(
        [
          ['opportunity_handed_over', ids.openOpportunity],
          ['order_handed_over', ids.openOrder],
        ].sort(),
      );
      expect(told.every((n: { body: string }) => n.body.includes(reason))).toBe(true);
      const owners = await sql<{ record_id: string; owner_id: string }>(
        'notifications',
        'SELECT record_id, owner_id FROM record_access WHERE record_id = ANY($1)',
        [[ids.openLead, ids.openOpportunity, ids.openOrder]],
      );
      expect(owners.map((o) => o.owner_id)).toEqual([taker.sub, taker.sub, taker.sub]);
    }, hop);
    console.log(`hand-over: opportunities and orders followed within ${followedWithinMs} ms`);
  });
});
