import { DomainError } from '@crm/domain';
import { anOrder, ids, NOW } from '../../test/order.fixture';
import { decideDraftEdit, type DraftEdit, type DraftEditContext } from './draft-edit.domain';

const editor = '4e5f6071-8293-4a41-b5c6-d7e8f9012345';
const ctx = (overrides: Partial<DraftEditContext> = {}): DraftEditContext => ({
  unsellable: new Set(),
  today: '2026-11-27',
  by: editor,
  now: NOW,
  newId: ids(),
  ...overrides,
});
const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};
const address = { line1: '88 Jianguo Road', city: 'Beijing', postalCode: '100022', country: 'CN' };
const sameLines: DraftEdit['lines'] = [
  { sku: 'PUMP-200', productName: 'Pump 200 W', quantity: 3, unitPrice: '19.990', discount: '5' },
  { sku: 'VALVE-10', productName: 'Valve 10 mm', quantity: 2, unitPrice: '100.1' },
];

describe('decideDraftEdit', () => {
  it('replaces the lines with new ids, recomputes the total exactly and publishes the terms as they now stand', () => {
    const order = anOrder();
    const lines = [
      { sku: 'PUMP-200', productName: 'Pump 200 W', quantity: 7, unitPrice: '0.10', discount: '0.01' },
      { sku: 'VALVE-10', productName: 'Valve 10 mm', quantity: 3, unitPrice: '0.20' },
    ];
    const { changes, events } = decideDraftEdit(order, { lines, note: '  more pumps  ' }, ctx());
    expect(changes.set).toEqual({ total: '1.29' });
    expect(changes.lines?.map((l) => [l.id, l.position, l.lineTotal])).toEqual([
      ['00000000-0000-4000-8000-000000000001', 0, '0.69'],
      ['00000000-0000-4000-8000-000000000002', 1, '0.60'],
    ]);
    expect(changes.edit).toEqual({ changed: ['lines'], note: 'more pumps', by: editor, at: NOW });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'crm.order.draft_updated', subject: order.id });
    expect(events[0].data).toMatchObject({
      orderId: order.id,
      total: '1.29',
      currency: 'USD',
      paymentTerms: 'NET30',
      promisedDeliveryDate: '2027-01-15',
      changed: ['lines'],
      note: 'more pumps',
      by: editor,
      updatedAt: NOW.toISOString(),
    });
    expect((events[0].data as { lines: unknown[] }).lines).toHaveLength(2);
  });

  it('changes the terms, addresses and promised date it is given and leaves the rest', () => {
    const order = anOrder({ shippingAddress: address });
    const { changes, events } = decideDraftEdit(
      order,
      { paymentTerms: 'NET45', billingAddress: { ...address, line2: 'Tower B' }, shippingAddress: null, promisedDeliveryDate: '2026-11-27' },
      ctx(),
    );
    expect(changes.set).toEqual({
      paymentTerms: 'NET45',
      billingAddress: { ...address, line2: 'Tower B' },
      shippingAddress: null,
      promisedDeliveryDate: '2026-11-27',
    });
    expect(changes.lines).toBeUndefined();
    expect(changes.edit?.changed).toEqual(['paymentTerms', 'billingAddress', 'shippingAddress', 'promisedDeliveryDate']);
    expect(events[0].data).toMatchObject({ billingAddress: { line2: 'Tower B' }, paymentTerms: 'NET45' });
    expect((events[0].data as { shippingAddress?: unknown }).shippingAddress).toBeUndefined();
  });

  it('writes nothing and publishes nothing when the edit changes nothing (amounts written differently are the same)', () => {
    const order = anOrder({ billingAddress: address });
    const decision = decideDraftEdit(
      order,
      { lines: sameLines, currency: 'USD', paymentTerms: 'NET30', billingAddress: { ...address }, promisedDeliveryDate: '2027-01-15', note: 'x' },
      ctx(),
    );
    expect(decision).toEqual({ changes: { set: {} }, events: [] });
    expect(decideDraftEdit(order, {}, ctx())).toEqual({ changes: { set: {} }, events: [] });
  });

  it('refuses an order that is no longer a draft with NOT_A_DRAFT, naming its status', () => {
    for (const status of ['submitted', 'confirmed', 'cancelled'] as const) {
      const err = refusal(() => decideDraftEdit(anOrder({ status }), { paymentTerms: 'NET45' }, ctx()));
      expect(err).toMatchObject({ kind: 'conflict', code: 'NOT_A_DRAFT' });
      expect(err.detail).toContain(`is ${status}`);
    }
  });

  it('names every bad part at once: unsold SKUs, a discount above its line, a past date, a currency without its prices', () => {
    const err = refusal(() =>
      decideDraftEdit(
        anOrder(),
        {
          lines: [
            { sku: 'OLD-1', productName: 'Retired', quantity: 1, unitPrice: '10' },
            { sku: 'PUMP-200', productName: 'Pump', quantity: 1, unitPrice: '10', discount: '10.01' },
          ],
          promisedDeliveryDate: '2026-11-26',
        },
        ctx({ unsellable: new Set(['OLD-1']) }),
      ),
    );
    expect(err.kind).toBe('invalid');
    expect(err.fields?.map((f) => f.field)).toEqual(['lines[0].sku', 'lines[1].discount', 'promisedDeliveryDate']);
    expect(refusal(() => decideDraftEdit(anOrder(), { currency: 'EUR' }, ctx())).fields).toEqual([expect.objectContaining({ field: 'lines' })]);
  });

  it('takes a currency with its lines, and keeps a promised date already past when the edit does not move it', () => {
    const order = anOrder({ promisedDeliveryDate: '2026-11-01' });
    const { changes } = decideDraftEdit(
      order,
      { currency: 'EUR', lines: [{ sku: 'PUMP-200', productName: 'Pump', quantity: 1, unitPrice: '9.99' }], promisedDeliveryDate: '2026-11-01' },
      ctx(),
    );
    expect(changes.set).toEqual({ currency: 'EUR', total: '9.99' });
    expect(changes.edit?.changed).toEqual(['lines', 'currency']);
  });

  it('refuses a line or a total the order could not store (15 digits before the point)', () => {
    const huge = { sku: 'PUMP-200', productName: 'Pump', quantity: 1_000_000, unitPrice: '999999999999999' };
    expect(refusal(() => decideDraftEdit(anOrder(), { lines: [huge] }, ctx())).fields).toEqual([expect.objectContaining({ field: 'lines[0].quantity' })]);
    const half = { ...huge, quantity: 1, unitPrice: '600000000000000' };
    expect(refusal(() => decideDraftEdit(anOrder(), { lines: [half, half] }, ctx())).fields).toEqual([expect.objectContaining({ field: 'lines' })]);
  });
});
