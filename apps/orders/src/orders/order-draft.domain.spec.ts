import type { EventOf } from '@crm/contracts';
import { ids, NOW } from '../../test/order.fixture';
import { decideCreate, decideDraftFromWon, type CreateOrderCommand } from './order-draft.domain';

const rep = '1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9';
const otherRep = '2c3d4e5f-6071-4829-93a4-b5c6d7e8f901';
const mgr = '4e5f6071-8293-4a41-b5c6-d7e8f9012345';
const lines = [
  { sku: 'PUMP-200', productName: 'Pump 200 W', quantity: 3, unitPrice: '19.99', discount: '5' },
  { sku: 'VALVE-10', productName: 'Valve 10 mm', quantity: 2, unitPrice: '100.10' },
];
const command = (overrides: Partial<CreateOrderCommand> = {}): CreateOrderCommand => ({
  scope: { kind: 'own', repId: rep },
  caller: { sub: rep, team: 'east' },
  repId: rep,
  customer: { name: 'Li Wei' },
  currency: 'USD',
  lines,
  unsellable: new Set(),
  knownTeam: 'east',
  ...overrides,
});
const ctx = () => ({ by: rep, now: NOW, newId: ids() });
const account = {
  billingAddress: { line1: '88 Jianguo Road', city: 'Beijing', postalCode: '100022', country: 'CN' },
  shippingAddress: { line1: 'Dock 4', city: 'Tianjin', country: 'CN' },
};
const fieldsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { fields?: { field: string; message: string }[] }).fields;
  }
  throw new Error('expected a refusal');
};

describe('decideCreate', () => {
  it('drafts the order exactly priced, with its lines in order, its history and order.drafted carrying it all', () => {
    const { changes, events } = decideCreate(command(), ctx());
    const orderId = '00000000-0000-4000-8000-000000000001';
    expect(changes.order).toMatchObject({
      id: orderId,
      status: 'draft',
      total: '255.17',
      team: 'east',
      paymentTerms: 'NET30',
      promisedDeliveryDate: null,
      createdBy: rep,
      createdAt: NOW,
    });
    expect(changes.lines.map((l) => [l.position, l.orderId, l.lineTotal, l.discount])).toEqual([
      [0, orderId, '54.97', '5.00'],
      [1, orderId, '200.20', '0.00'],
    ]);
    expect(changes.history).toEqual({ fromStatus: null, toStatus: 'draft', by: rep, note: null, at: NOW });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'crm.order.drafted', subject: orderId });
    expect(events[0].data).toMatchObject({ orderId, total: '255.17', team: 'east', by: rep, draftedAt: NOW.toISOString() });
    expect((events[0].data as { lines: { lineId: string }[] }).lines.map((l) => l.lineId)).toEqual(changes.lines.map((l) => l.id));
  });

  it("names the account and contact, with the request's addresses or else the account's", () => {
    const accountId = 'a0000000-0000-4000-8000-000000000001';
    const contactId = 'c0000000-0000-4000-8000-000000000001';
    const own = { line1: '1 Harbour St', city: 'Sydney', country: 'AU' };
    const { changes, events } = decideCreate(command({ accountId, contactId, shippingAddress: own, account }), ctx());
    expect(changes.order).toMatchObject({ accountId, contactId, billingAddress: account.billingAddress, shippingAddress: own });
    expect(events[0].data).toMatchObject({ accountId, contactId, billingAddress: account.billingAddress, shippingAddress: own });
    // Without an account, or one the copy does not know yet, there is no default.
    expect(decideCreate(command({ account }), ctx()).changes.order).toMatchObject({ accountId: null, billingAddress: null, shippingAddress: null });
    expect(decideCreate(command({ accountId, account: undefined }), ctx()).changes.order).toMatchObject({
      accountId,
      billingAddress: null,
      shippingAddress: null,
    });
    expect((decideCreate(command(), ctx()).events[0].data as { accountId?: string }).accountId).toBeUndefined();
  });

  it('lets a rep file only for themself', () => {
    expect(fieldsOf(() => decideCreate(command({ repId: otherRep }), ctx()))).toEqual([
      { field: 'repId', message: 'a sales rep can only create orders for themself' },
    ]);
  });

  it('names the line whose discount exceeds it', () => {
    const bad = [lines[0], { sku: 'VALVE-10', productName: 'Valve', quantity: 1, unitPrice: '1.5', discount: '2' }];
    expect(fieldsOf(() => decideCreate(command({ lines: bad }), ctx()))).toEqual([
      { field: 'lines[1].discount', message: expect.stringContaining('exceeds the line amount 1.50') },
    ]);
  });

  it('refuses a line or a total too large to store (15 digits before the point) instead of failing to save it', () => {
    const huge = { sku: 'PUMP-200', productName: 'Pump', quantity: 1_000_000, unitPrice: '999999999999999' };
    expect(fieldsOf(() => decideCreate(command({ lines: [lines[0], huge] }), ctx()))).toEqual([expect.objectContaining({ field: 'lines[1].quantity' })]);
    const half = { ...huge, quantity: 1, unitPrice: '600000000000000' };
    expect(fieldsOf(() => decideCreate(command({ lines: [half, half] }), ctx()))).toEqual([expect.objectContaining({ field: 'lines' })]);
  });

  it('names the first line whose SKU is unknown or retired', () => {
    expect(fieldsOf(() => decideCreate(command({ unsellable: new Set(['VALVE-10']) }), ctx()))).toEqual([
      { field: 'lines[1].sku', message: 'unknown or inactive SKU VALVE-10' },
    ]);
  });

  it("lets a manager file for their team's reps only, never for a rep the directory does not know", () => {
    const manager = { scope: { kind: 'team', team: 'east' } as const, caller: { sub: mgr, team: 'east' } };
    expect(decideCreate(command({ ...manager, repId: rep, knownTeam: 'east' }), ctx()).changes.order.team).toBe('east');
    expect(fieldsOf(() => decideCreate(command({ ...manager, repId: otherRep, knownTeam: 'west' }), ctx()))).toEqual([
      { field: 'repId', message: `rep ${otherRep} is not in team east` },
    ]);
    expect(fieldsOf(() => decideCreate(command({ ...manager, repId: otherRep, knownTeam: undefined }), ctx()))).toEqual([
      { field: 'repId', message: `rep ${otherRep} is not in team east` },
    ]);
    // The manager themself, unknown to the directory, files under their own team.
    expect(decideCreate(command({ ...manager, repId: mgr, knownTeam: undefined }), ctx()).changes.order.team).toBe('east');
  });

  it("files under the directory's team, else the caller's", () => {
    expect(decideCreate(command({ knownTeam: 'north' }), ctx()).changes.order.team).toBe('north');
    expect(decideCreate(command({ knownTeam: undefined }), ctx()).changes.order.team).toBe('east');
    expect(decideCreate(command({ knownTeam: undefined, caller: { sub: rep } }), ctx()).changes.order.team).toBeNull();
  });
});

describe('decideDraftFromWon', () => {
  const won = (overrides: Partial<EventOf<'opportunity.won'>['data']> = {}) =>
    ({
      opportunityId: '3d4e5f60-7182-4930-a4b5-c6d7e8f90123',
      leadId: null,
      repId: rep,
      customer: { name: 'Zhang San' },
      currency: 'CNY',
      amount: '1000.00',
      lines: [{ sku: 'PUMP-200', productName: 'Pump', quantity: 10, unitPrice: '100', discount: '0' }],
      paymentTerms: 'NET60',
      createdAt: NOW.toISOString(),
      wonAt: NOW.toISOString(),
      ...overrides,
    }) as EventOf<'opportunity.won'>['data'];

  it("drafts by system with the deal's terms, under the deal's team or else the rep's", () => {
    const { changes } = decideDraftFromWon(won(), 'east', undefined, { by: 'system', now: NOW, newId: ids() });
    expect(changes.order).toMatchObject({
      opportunityId: won().opportunityId,
      team: 'east',
      total: '1000.00',
      paymentTerms: 'NET60',
      currency: 'CNY',
      createdBy: 'system',
    });
    expect(decideDraftFromWon(won({ team: 'west' }), 'east', undefined, { by: 'system', now: NOW, newId: ids() }).changes.order.team).toBe('west');
    expect(decideDraftFromWon(won({ paymentTerms: undefined }), undefined, undefined, { by: 'system', now: NOW, newId: ids() }).changes.order).toMatchObject({
      team: null,
      paymentTerms: 'NET30',
    });
  });

  it("carries the deal's account and contact, with the account's addresses from the copy", () => {
    const accountId = 'a0000000-0000-4000-8000-000000000001';
    const contactId = 'c0000000-0000-4000-8000-000000000001';
    const { changes, events } = decideDraftFromWon(won({ accountId, contactId }), 'east', account, { by: 'system', now: NOW, newId: ids() });
    expect(changes.order).toMatchObject({ accountId, contactId, ...account });
    expect(events[0].data).toMatchObject({ accountId, contactId, ...account });
    expect(decideDraftFromWon(won(), 'east', account, { by: 'system', now: NOW, newId: ids() }).changes.order).toMatchObject({
      accountId: null,
      contactId: null,
      billingAddress: null,
      shippingAddress: null,
    });
  });

  it('refuses lines that cannot be priced as invalid (dead-lettered, never retried)', () => {
    const bad = won({ lines: [{ sku: 'PUMP-200', productName: 'Pump', quantity: 1, unitPrice: '1', discount: '2' }] });
    expect(() => decideDraftFromWon(bad, 'east', undefined, { by: 'system', now: NOW, newId: ids() })).toThrow(
      expect.objectContaining({ name: 'DomainError', kind: 'invalid', fields: [expect.objectContaining({ field: 'lines[0].discount' })] }),
    );
  });
});
