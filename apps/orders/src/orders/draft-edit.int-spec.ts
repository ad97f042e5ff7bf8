import { randomUUID } from 'node:crypto';
import { addDays, dayOf } from '@crm/calendar';
import { createEvent } from '@crm/contracts';
import { eventually, startTestService, type TestService, type TokenClaims } from '@crm/testing';
import { AppModule } from '../app.module';
import { ordersSettings } from '../orders.settings';

const now = () => new Date().toISOString();
const team = 'east';
const rep = { sub: randomUUID(), roles: ['sales_rep'], team };
const teammate = { sub: randomUUID(), roles: ['sales_rep'], team };
const otherRep = { sub: randomUUID(), roles: ['sales_rep'], team: 'west' };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team };
const otherManager = { sub: randomUUID(), roles: ['sales_manager'], team: 'west' };
const admin = { sub: randomUUID(), roles: ['admin'] };
const integration = { sub: 'erp-bridge', roles: ['integration'] };

// A business time zone whose date differs from UTC's while the suite runs (14 h ahead once UTC is past 10:00,
// else 11 h behind), so that a "today" taken from UTC instead of CRM_TIMEZONE fails one of the date checks.
const zone = new Date().getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
const businessToday = () => dayOf(new Date(), zone);

const beijing = { line1: '88 Jianguo Road', city: 'Beijing', region: 'Chaoyang', postalCode: '100022', country: 'CN' };
const draftBody = (overrides: Record<string, unknown> = {}) => ({
  customer: { name: 'Li Wei', company: 'Acme Trading' },
  currency: 'USD',
  paymentTerms: 'NET30',
  promisedDeliveryDate: '2027-01-15',
  lines: [
    { sku: 'PUMP-200', productName: 'Pump 200 W', quantity: 3, unitPrice: '19.99', discount: '5' },
    { sku: 'VALVE-10', productName: 'Valve 10 mm', quantity: 2, unitPrice: '100.10' },
  ],
  ...overrides,
});

describe('editing a draft order (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const draft = async (body = draftBody(), as: TokenClaims = rep) => (await svc.as(as).post('/api/v1/orders').send(body).expect(201)).body as { id: string };
  const edit = (as: TokenClaims, id: string, body: object, ifMatch?: string) => {
    const req = svc.as(as).patch(`/api/v1/orders/${id}`);
    return (ifMatch === undefined ? req : req.set('If-Match', ifMatch)).send(body);
  };
  /** The order's row, lines, edits and outbox rows: any write shows here. */
  const stored = async (id: string) =>
    (
      await svc.dataSource.query(
        `SELECT o.version, o.total::text, o.currency, o.payment_terms, o.promised_delivery_date::text AS promised, o.billing_address, o.shipping_address,
                (SELECT json_agg(l.id || ':' || l.sku || ':' || l.line_total ORDER BY l.position) FROM order_lines l WHERE l.order_id = o.id) AS lines,
                (SELECT count(*)::int FROM order_draft_edits e WHERE e.order_id = o.id) AS edits,
                (SELECT count(*)::int FROM outbox b WHERE b.message_key = o.id::text) AS outbox
         FROM orders o WHERE o.id = $1`,
        [id],
      )
    )[0];
  const draftUpdates = async (id: string) => (await svc.published('order.draft_updated')).filter((e) => e.subject === id);

  beforeAll(async () => {
    svc = await startTestService('orders', (c) => AppModule.forRoot(c), { env: { CRM_TIMEZONE: zone }, settings: ordersSettings });
    const item = (sku: string, active = true) => createEvent('item.upserted', { subject: sku, data: { sku, name: sku, active, updatedAt: now() } });
    await svc.publish(item('PUMP-200'), item('VALVE-10'), item('GEAR-5'), item('OLD-1', false));
    await svc.publish(
      createEvent('rep.upserted', {
        subject: rep.sub,
        data: { repId: rep.sub, name: 'Rep A', email: 'a@crm.example', team, capacity: 10, active: true, updatedAt: now() },
      }),
    );
    await eventually(async () =>
      expect(await svc.dataSource.query('SELECT (SELECT count(*)::int FROM catalogue_items) AS items, (SELECT count(*)::int FROM reps) AS reps')).toEqual([
        { items: 4, reps: 1 },
      ]),
    );
  });
  afterAll(() => svc?.close());

  it('replaces the lines, totals them to the cent, records who edited, publishes order.draft_updated, and the confirmation carries the edit', async () => {
    const { id } = await draft();
    const before = await stored(id);
    const lines = [
      { sku: 'PUMP-200', productName: 'Pump 200 W', quantity: 7, unitPrice: '0.10', discount: '0.01' },
      { sku: 'VALVE-10', productName: 'Valve 10 mm', quantity: 3, unitPrice: '0.20' },
      { sku: 'GEAR-5', productName: '齿轮 5', quantity: 1, unitPrice: '1234.5678' },
    ];
    const res = await edit(rep, id, { lines, note: '客户要 7 台泵' }, '"1"').expect(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({ id, status: 'draft', version: 2, total: '1235.8578', currency: 'USD' });
    expect(res.body.lines.map((l: { sku: string; lineTotal: string }) => [l.sku, l.lineTotal])).toEqual([
      ['PUMP-200', '0.69'],
      ['VALVE-10', '0.60'],
      ['GEAR-5', '1234.5678'],
    ]);
    expect(res.body.edits).toEqual([expect.objectContaining({ version: 2, changed: ['lines'], note: '客户要 7 台泵', by: rep.sub })]);
    const after = await stored(id);
    expect(after).toMatchObject({ version: 2, total: '1235.8578', edits: 1, outbox: before.outbox + 1 });
    expect(after.lines).toHaveLength(3);
    expect(after.lines.some((l: string) => before.lines.includes(l))).toBe(false);
    // The order page reads who edited and when.
    const page = (await svc.as(manager).get(`/api/v1/orders/${id}`).expect(200)).body;
    expect(page.edits).toEqual(res.body.edits);
    expect(Date.parse(page.edits[0].at)).toBeGreaterThan(Date.parse(page.createdAt));

    const [updated] = await eventually(async () => {
      const found = await draftUpdates(id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(updated.data).toMatchObject({ orderId: id, repId: rep.sub, team, total: '1235.8578', changed: ['lines'], by: rep.sub, note: '客户要 7 台泵' });
    expect((updated.data as { lines: { lineTotal: string }[] }).lines.map((l) => l.lineTotal)).toEqual(['0.69', '0.60', '1234.5678']);

    await svc.as(rep).post(`/api/v1/orders/${id}/submit`).set('If-Match', '"2"').expect(200);
    await svc.as(manager).post(`/api/v1/orders/${id}/confirm`).expect(200);
    const [confirmed] = await eventually(async () => {
      const found = (await svc.published('order.confirmed')).filter((e) => e.subject === id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(confirmed.data).toMatchObject({ total: '1235.8578', lines: [{ sku: 'PUMP-200', quantity: 7 }, { sku: 'VALVE-10' }, { sku: 'GEAR-5' }] });
  });

  it('changes payment terms, addresses and the promised date, which may be today but not yesterday in the business time zone', async () => {
    const { id } = await draft(draftBody({ shippingAddress: beijing }));
    const today = businessToday();
    const past = await edit(rep, id, { promisedDeliveryDate: addDays(today, -1) }, '"1"').expect(400);
    expect(past.body.errors).toEqual([expect.objectContaining({ field: 'promisedDeliveryDate' })]);
    expect(past.body.errors[0].message).toContain(today);

    const billing = { line1: '1 Century Avenue', line2: 'Tower B', city: 'Shanghai', postalCode: '200120', country: 'cn' };
    const res = await edit(rep, id, { paymentTerms: 'NET45', billingAddress: billing, shippingAddress: null, promisedDeliveryDate: today }, '"1"').expect(200);
    expect(res.body).toMatchObject({
      version: 2,
      total: '255.17',
      paymentTerms: 'NET45',
      billingAddress: { ...billing, country: 'CN' },
      shippingAddress: null,
      promisedDeliveryDate: today,
    });
    expect(res.body.edits[0].changed).toEqual(['paymentTerms', 'billingAddress', 'shippingAddress', 'promisedDeliveryDate']);
    const [updated] = await eventually(async () => {
      const found = await draftUpdates(id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(updated.data).toMatchObject({ paymentTerms: 'NET45', billingAddress: { city: 'Shanghai', country: 'CN' }, promisedDeliveryDate: today });
    expect(updated.data).not.toHaveProperty('shippingAddress');

    // The same values again change nothing: same ETag, no edit, no event.
    const before = await stored(id);
    const again = await edit(rep, id, { paymentTerms: 'NET45', billingAddress: billing, shippingAddress: null }, '"2"').expect(200);
    expect(again.headers.etag).toBe('"2"');
    expect(await stored(id)).toEqual(before);

    const cleared = await edit(rep, id, { promisedDeliveryDate: null }, '"2"').expect(200);
    expect(cleared.body).toMatchObject({ version: 3, promisedDeliveryDate: null });
  });

  it('needs If-Match: 428 without it, 400 malformed, 412 stale; of two edits of one version only one is stored', async () => {
    const { id } = await draft();
    const before = await stored(id);
    expect((await edit(rep, id, { paymentTerms: 'NET45' }).expect(428)).body).toMatchObject({ code: 'PRECONDITION_REQUIRED' });
    await edit(rep, id, { paymentTerms: 'NET45' }, 'W/"1"').expect(400);
    expect((await edit(rep, id, { paymentTerms: 'NET45' }, '"7"').expect(412)).body).toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(await stored(id)).toEqual(before);

    const answers = await Promise.all([edit(rep, id, { paymentTerms: 'NET45' }, '"1"'), edit(manager, id, { paymentTerms: 'NET60' }, '"1"')]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
    const winner = answers.find((a) => a.status === 200)!;
    expect(await stored(id)).toMatchObject({ version: 2, payment_terms: winner.body.paymentTerms, edits: 1 });
  });

  it('refuses an order past its draft with 409 NOT_A_DRAFT and stores nothing; sent back to draft, it can be edited again', async () => {
    const { id } = await draft();
    await svc.as(rep).post(`/api/v1/orders/${id}/submit`).expect(200);
    const before = await stored(id);
    const res = await edit(rep, id, { paymentTerms: 'NET45' }, `"${before.version}"`).expect(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'NOT_A_DRAFT', status: 409 });
    expect(res.body.detail).toContain('submitted');
    expect(await stored(id)).toEqual(before);

    const rejected = await svc.as(manager).post(`/api/v1/orders/${id}/reject`).send({ note: 'fix the terms' }).expect(200);
    await edit(rep, id, { paymentTerms: 'NET45' }, `"${rejected.body.version}"`).expect(200);
  });

  it('answers bad input with 400 and the fields, storing and publishing nothing', async () => {
    const { id } = await draft();
    const before = await stored(id);
    const line = (overrides: object) => ({ sku: 'PUMP-200', productName: 'Pump', quantity: 1, unitPrice: '10.00', ...overrides });
    const cases: [object, string[]][] = [
      [
        { lines: [line({ sku: 'OLD-1' }), line({ sku: 'NOPE-9' }), line({ discount: '10.01' })], promisedDeliveryDate: '2020-01-01' },
        ['lines[0].sku', 'lines[1].sku', 'lines[2].discount', 'promisedDeliveryDate'],
      ],
      [{ lines: [] }, ['lines']],
      [{ lines: null }, ['lines']],
      [{ lines: [line({ quantity: 0, unitPrice: '1.23456' })] }, ['lines[0].quantity', 'lines[0].unitPrice']],
      [{ currency: 'EUR' }, ['lines']],
      [{ currency: 'euro', paymentTerms: 'someday' }, ['currency', 'paymentTerms']],
      [{ billingAddress: [] }, ['billingAddress']],
      [{ shippingAddress: { line1: 'x', city: 'y', country: 'ZZ' } }, ['shippingAddress.country']],
      [{ promisedDeliveryDate: '2027-02-30' }, ['promisedDeliveryDate']],
      [{ status: 'confirmed', total: '0.01' }, ['status', 'total']],
      [{ lines: [line({ quantity: 1_000_000, unitPrice: '999999999999999' })] }, ['lines[0].quantity']],
    ];
    for (const [body, fields] of cases) {
      const res = await edit(rep, id, body, '"1"');
      expect([res.status, res.headers['content-type']]).toEqual([400, expect.stringMatching(/application\/problem\+json/)]);
      expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual([...fields].sort());
    }
    expect(await stored(id)).toEqual(before);
  });

  it('lets the owner, their manager and an admin edit; another rep or team gets 404, integration 403, and nothing changes', async () => {
    const { id } = await draft();
    const before = await stored(id);
    for (const stranger of [teammate, otherRep, otherManager]) await edit(stranger, id, { paymentTerms: 'NET45' }, '"1"').expect(404);
    await edit(integration, id, { paymentTerms: 'NET45' }, '"1"').expect(403);
    await edit(rep, randomUUID(), { paymentTerms: 'NET45' }, '"1"').expect(404);
    expect(await stored(id)).toEqual(before);

    await edit(manager, id, { paymentTerms: 'NET45' }, '"1"').expect(200);
    const res = await edit(admin, id, { paymentTerms: 'EOM' }, '"2"').expect(200);
    expect(res.body.edits.map((e: { by: string; changed: string[] }) => [e.by, e.changed])).toEqual([
      [manager.sub, ['paymentTerms']],
      [admin.sub, ['paymentTerms']],
    ]);
    const events = await eventually(async () => {
      const found = await draftUpdates(id);
      expect(found).toHaveLength(2);
      return found;
    });
    expect(events.map((e) => (e.data as { by: string }).by).sort()).toEqual([manager.sub, admin.sub].sort());
  });
});
