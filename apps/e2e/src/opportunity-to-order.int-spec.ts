import { randomUUID } from 'node:crypto';
import { eventually, startSystem, type TestSystem } from '@crm/testing';

// A won opportunity becomes exactly one draft order: opportunities, orders and inventory as real processes,
// driven over HTTP only.
jest.setTimeout(240_000);

const team = 'south';
const rep = { sub: randomUUID(), roles: ['sales_rep'], team };
const admin = { sub: 'admin-1', roles: ['admin'] };

describe('opportunity to order across opportunities, orders and inventory (real Kafka and PostgreSQL)', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startSystem(['opportunities', 'orders', 'inventory']);
    await system
      .as(admin, 'inventory')
      .put('/api/v1/items/GEAR-9')
      .send({ name: 'Gearbox 9', productLine: 'drives', reorderPoint: 0 })
      .expect((r) => expect([200, 201]).toContain(r.status));
  });
  afterAll(() => system?.stop());

  it('winning an opportunity makes the orders service draft exactly one order with its lines and amount', async () => {
    const opportunities = system.as(rep, 'opportunities');
    const created = await opportunities
      .post('/api/v1/opportunities')
      .send({
        customer: { name: 'Zhao Min', company: 'Delta Mills' },
        currency: 'USD',
        expectedCloseDate: '2027-03-31',
        companySize: 'large',
        fields: { needsReport: 'https://docs.example/delta-needs.pdf' },
        lines: [{ sku: 'GEAR-9', productName: 'Gearbox 9', quantity: 4, unitPrice: '250.25', discount: '1.00' }],
      })
      .expect(201);
    const id = created.body.id as string;
    expect(created.body.expectedAmount).toBe('1000.00');

    const [first, second] = await Promise.all([
      opportunities.post(`/api/v1/opportunities/${id}/win`).send({ paymentTerms: 'NET30' }),
      opportunities.post(`/api/v1/opportunities/${id}/win`).send({ paymentTerms: 'NET30' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);

    const order = await eventually(
      async () => {
        const { body } = await system.as(rep, 'orders').get('/api/v1/orders').expect(200);
        expect(body.items).toHaveLength(1);
        return body.items[0];
      },
      { timeoutMs: 30_000 },
    );
    expect(order).toMatchObject({ opportunityId: id, status: 'draft', total: '1000.00', currency: 'USD', repId: rep.sub, team, paymentTerms: 'NET30' });
    const detail = (await system.as(rep, 'orders').get(`/api/v1/orders/${order.id}`).expect(200)).body;
    expect(detail.lines).toEqual([expect.objectContaining({ sku: 'GEAR-9', quantity: 4, unitPrice: '250.25', discount: '1.00', lineTotal: '1000.00' })]);
    // The draft can go on through the workflow: the SKU is in the catalogue orders learned from inventory.
    await eventually(
      async () => {
        await system.as(rep, 'orders').post(`/api/v1/orders/${order.id}/submit`).expect(200);
      },
      { timeoutMs: 30_000 },
    );
  });
});
