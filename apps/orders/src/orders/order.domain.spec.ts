import type { EventEnvelope } from '@crm/contracts';
import { anOrder, NOW } from '../../test/order.fixture';
import { parseAutoConfirmLimits } from './auto-confirm.domain';
import { decideCancel, decideComplete, decideConfirm, decideReject, decideSubmit } from './order.domain';

const manager = { by: 'manager-1', now: NOW };
const types = (events: EventEnvelope[]) => events.map((e) => e.type);
const noLimits = parseAutoConfirmLimits('');

describe('decideSubmit', () => {
  it('submits a draft: one step with its history and order.status_changed + order.submitted', () => {
    const { changes, events } = decideSubmit(anOrder(), { unsellable: new Set(), limits: noLimits }, { by: 'rep-1', now: NOW });
    expect(changes.steps).toEqual([
      { set: { status: 'submitted' }, history: { fromStatus: 'draft', toStatus: 'submitted', by: 'rep-1', note: null, at: NOW } },
    ]);
    expect(types(events)).toEqual(['crm.order.status_changed', 'crm.order.submitted']);
    expect(events[0].data).toEqual({ orderId: anOrder().id, from: 'draft', to: 'submitted', by: 'rep-1', at: NOW.toISOString() });
    expect(events[1].data).toEqual({ orderId: anOrder().id, by: 'rep-1', submittedAt: NOW.toISOString() });
  });

  it('refuses SKUs the catalogue no longer sells, before anything else', () => {
    expect(() => decideSubmit(anOrder({ status: 'confirmed' }), { unsellable: new Set(['VALVE-10']), limits: noLimits }, manager)).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'UNKNOWN_SKU', detail: 'The catalogue does not sell VALVE-10: edit the order before submitting it.' }),
    );
  });

  it('confirms at once, by system, strictly under the limit of its currency', () => {
    const limits = parseAutoConfirmLimits('USD:300');
    const { changes, events } = decideSubmit(anOrder(), { unsellable: new Set(), limits }, { by: 'rep-1', now: NOW });
    expect(changes.steps.map((s) => s.set)).toEqual([{ status: 'submitted' }, { autoConfirmed: true, status: 'confirmed' }]);
    expect(changes.steps[1].history).toMatchObject({ fromStatus: 'submitted', toStatus: 'confirmed', by: 'system', note: 'auto-confirmed under the limit' });
    expect(types(events)).toEqual(['crm.order.status_changed', 'crm.order.submitted', 'crm.order.status_changed', 'crm.order.confirmed']);
    expect(events[3].data).toMatchObject({ by: 'system', autoConfirmed: true, total: '255.17' });
    const atLimit = decideSubmit(anOrder(), { unsellable: new Set(), limits: parseAutoConfirmLimits('USD:255.17') }, { by: 'rep-1', now: NOW });
    expect(atLimit.changes.steps).toHaveLength(1);
  });

  it('refuses an order that is not a draft as an illegal transition', () => {
    expect(() => decideSubmit(anOrder({ status: 'submitted' }), { unsellable: new Set(), limits: noLimits }, manager)).toThrow(
      expect.objectContaining({ code: 'ILLEGAL_TRANSITION', detail: 'cannot submit an order that is submitted (allowed from: draft)' }),
    );
  });
});

describe('decideConfirm / decideReject', () => {
  it('confirms a submitted order and publishes the whole order to inventory and finance', () => {
    const { changes, events } = decideConfirm(anOrder({ status: 'submitted' }), manager);
    expect(changes.steps).toEqual([{ set: { autoConfirmed: false, status: 'confirmed' }, history: expect.objectContaining({ by: 'manager-1', note: null }) }]);
    expect(events[1].data).toEqual({
      orderId: anOrder().id,
      opportunityId: null,
      repId: anOrder().repId,
      team: 'east',
      customer: { name: 'Li Wei', company: 'Acme Trading' },
      currency: 'USD',
      lines: [
        { lineId: anOrder().lines[0].id, sku: 'PUMP-200', productName: 'Pump 200 W', quantity: 3, unitPrice: '19.99', discount: '5.00', lineTotal: '54.97' },
        { lineId: anOrder().lines[1].id, sku: 'VALVE-10', productName: 'Valve 10 mm', quantity: 2, unitPrice: '100.10', discount: '0.00', lineTotal: '200.20' },
      ],
      total: '255.17',
      paymentTerms: 'NET30',
      promisedDeliveryDate: '2027-01-15',
      by: 'manager-1',
      autoConfirmed: false,
      confirmedAt: NOW.toISOString(),
    });
    expect(() => decideConfirm(anOrder(), manager)).toThrow(expect.objectContaining({ code: 'ILLEGAL_TRANSITION' }));
  });

  it('sends a submitted order back to draft with the note, and nothing but the status change', () => {
    const { changes, events } = decideReject(anOrder({ status: 'submitted' }), 'prices are off', manager);
    expect(changes.steps).toEqual([{ set: { status: 'draft' }, history: expect.objectContaining({ toStatus: 'draft', note: 'prices are off' }) }]);
    expect(types(events)).toEqual(['crm.order.status_changed']);
    expect(() => decideReject(anOrder({ status: 'confirmed' }), undefined, manager)).toThrow(expect.objectContaining({ code: 'ILLEGAL_TRANSITION' }));
  });
});

describe('decideCancel', () => {
  it('cancels with the reason and the status it left', () => {
    const { changes, events } = decideCancel(anOrder({ status: 'allocated' }), 'customer withdrew', { by: 'rep-1', now: NOW });
    expect(changes.steps[0].set).toEqual({ cancelReason: 'customer withdrew', status: 'cancelled' });
    expect(types(events)).toEqual(['crm.order.status_changed', 'crm.order.cancelled']);
    expect(events[1].data).toEqual({
      orderId: anOrder().id,
      previousStatus: 'allocated',
      reason: 'customer withdrew',
      by: 'rep-1',
      cancelledAt: NOW.toISOString(),
    });
  });

  it('refuses once shipped', () => {
    expect(() => decideCancel(anOrder({ status: 'shipped' }), 'too late', manager)).toThrow(expect.objectContaining({ code: 'ILLEGAL_TRANSITION' }));
  });
});

describe('decideComplete', () => {
  it('completes a delivered order and opens its feedback request', () => {
    const { changes, events } = decideComplete(anOrder({ status: 'delivered' }), manager);
    expect(changes.steps[0].set).toEqual({ status: 'completed' });
    expect(changes.feedbackRequest).toEqual({ orderId: anOrder().id, status: 'open', openedAt: NOW, answeredAt: null });
    expect(events[1].data).toEqual({ orderId: anOrder().id, repId: anOrder().repId, currency: 'USD', total: '255.17', completedAt: NOW.toISOString() });
    expect(() => decideComplete(anOrder({ status: 'shipped' }), manager)).toThrow(expect.objectContaining({ code: 'ILLEGAL_TRANSITION' }));
  });
});
