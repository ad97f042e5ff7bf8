import { DomainError } from '@crm/domain';
import { anOrder } from '../../test/order.fixture';
import { decideErpRefused, decideErpRetry } from './order-erp.domain';
import { decideStockDeducted } from './order-saga.domain';
import type { ErpRefusal } from './order.domain';

const NOW = new Date('2026-12-03T01:30:00Z');
const refusal: ErpRefusal = { step: 'finance', erpStatus: 422, reason: 'customer has no tax id', at: '2026-12-03T01:29:00.000Z' };
const cmd = { refusal, eventId: 'evt-1', alertIds: { rep: 'alert-rep', finance: 'alert-finance' } };

describe('decideErpRefused', () => {
  it.each(['confirmed', 'on_hold', 'allocated'] as const)('holds a %s order with the reason, alerts rep and finance, publishes order.on_hold', (status) => {
    const { changes, events } = decideErpRefused(anOrder({ status }), cmd, NOW);
    const reason = 'ERP refused the receivable (HTTP 422): customer has no tax id';
    expect(changes.steps[0]).toMatchObject({
      set: { status: 'on_hold', holdReason: reason, holdKind: 'erp_refused', erpRefusal: refusal },
      history: { fromStatus: status, toStatus: 'on_hold', note: reason, by: 'system' },
    });
    expect(changes.alerts?.map((a) => [a.audience, a.kind, a.dedupeKey, a.repId])).toEqual([
      ['rep', 'erp_refused', 'erp_refused:evt-1:rep', anOrder().repId],
      ['finance', 'erp_refused', 'erp_refused:evt-1:finance', anOrder().repId],
    ]);
    expect(changes.alerts?.[0].message).toContain(`/api/v1/orders/${anOrder().id}/erp-retry`);
    expect(events.map((e) => e.type)).toEqual(['crm.order.status_changed', 'crm.order.on_hold']);
    expect(events[1].data).toEqual({
      orderId: anOrder().id,
      repId: anOrder().repId,
      reason,
      shortages: [],
      kind: 'erp_refused',
      erpStep: 'finance',
      erpStatus: 422,
      notify: ['rep', 'finance'],
      at: NOW.toISOString(),
    });
  });

  it('is moot for an order that moved on (shipped, cancelled)', () => {
    for (const status of ['shipped', 'cancelled'] as const) {
      const { changes, events } = decideErpRefused(anOrder({ status }), cmd, NOW);
      expect(changes.steps).toEqual([]);
      expect(changes.ignored).toMatch(/cannot erpHold/);
      expect(events).toEqual([]);
    }
  });
});

describe('decideStockDeducted on an order held by an ERP refusal', () => {
  it('does not allocate it: inventory puts that stock back, a retry answers anew', () => {
    const held = anOrder({ status: 'on_hold', holdKind: 'erp_refused', erpRefusal: refusal });
    const { changes, events } = decideStockDeducted(held, NOW);
    expect(changes.steps).toEqual([]);
    expect(events).toEqual([]);
  });
});

describe('decideErpRetry', () => {
  it('confirms the held order again and asks for the steps again with its terms', () => {
    const held = anOrder({ status: 'on_hold', holdKind: 'erp_refused', holdReason: 'ERP refused …', erpRefusal: refusal });
    const { changes, events } = decideErpRetry(held, { by: 'manager-1', now: NOW });
    expect(changes.steps[0]).toMatchObject({
      set: { status: 'confirmed', holdReason: null, holdKind: null, erpRefusal: null },
      history: { fromStatus: 'on_hold', toStatus: 'confirmed', by: 'manager-1', note: 'retried after the ERP refused the receivable' },
    });
    expect(events.map((e) => e.type)).toEqual(['crm.order.status_changed', 'crm.order.erp_retry_requested']);
    expect(events[1].data).toMatchObject({ orderId: held.id, total: held.total, by: 'manager-1', requestedAt: NOW.toISOString() });
  });

  it('refuses an order not held by an ERP refusal (a shortage hold, a confirmed order, a second retry)', () => {
    for (const order of [anOrder({ status: 'on_hold', holdKind: 'stock_shortage' }), anOrder({ status: 'confirmed' })]) {
      const error = (() => {
        try {
          decideErpRetry(order, { by: 'manager-1', now: NOW });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'NOT_HELD_BY_ERP', kind: 'conflict' });
    }
  });
});
