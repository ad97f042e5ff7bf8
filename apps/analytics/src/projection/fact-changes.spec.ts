import type { Contribution } from './aggregates';
import { byOrder, settlement } from './fact-changes';
import { ProjectionBatch } from './projection-batch';
import { PROJECTED_EVENT_TYPES, projectionFor } from './projection.registry';

const c = (day: string, captured: string): Contribution => ({ t: 'leads_daily', k: [day, 'n', 'p', 's', 'r', 't'], m: { captured } });

describe('settlement', () => {
  it('collects the differences of the facts that moved and leaves the others alone', () => {
    const out = settlement([
      { id: 'same', before: [c('2026-01-01', '1')], after: [c('2026-01-01', '1')] },
      { id: 'moved', before: [c('2026-01-01', '1')], after: [c('2026-01-02', '1')] },
    ]);
    expect(out.changed).toEqual([{ id: 'moved', contrib: [c('2026-01-02', '1')] }]);
    expect(out.deltas).toEqual([c('2026-01-01', '-1'), c('2026-01-02', '1')]);
  });
});

describe('byOrder', () => {
  it('groups rows by order id, keeping their order', () => {
    const rows = [
      { order_id: 'a', n: 1 },
      { order_id: 'b', n: 2 },
      { order_id: 'a', n: 3 },
    ];
    expect([...byOrder(rows)]).toEqual([
      ['a', [rows[0], rows[2]]],
      ['b', [rows[1]]],
    ]);
  });
});

describe('ProjectionBatch', () => {
  it('counts the events per partition and keeps the latest time, in (topic, partition) order', () => {
    const b = new ProjectionBatch();
    b.applied({ topic: 'orders', partition: 1 }, new Date('2026-01-02T00:00:00Z'));
    b.applied({ topic: 'orders', partition: 1 }, new Date('2026-01-01T00:00:00Z'));
    b.applied({ topic: 'leads', partition: 2 }, new Date('2026-01-03T00:00:00Z'));
    b.applied({ topic: 'leads', partition: 0 }, new Date('2026-01-03T00:00:00Z'));
    expect(b.sortedWatermarks().map((w) => [w.topic, w.partition, w.count, w.time.toISOString().slice(0, 10)])).toEqual([
      ['leads', 0, 1, '2026-01-03'],
      ['leads', 2, 1, '2026-01-03'],
      ['orders', 1, 2, '2026-01-02'],
    ]);
    b.opportunity('o1', true);
    b.clear();
    expect([b.sortedWatermarks(), b.opportunities.size, b.opportunitiesWithOrders.size]).toEqual([[], 0, 0]);
  });

  it('re-projects the orders of an opportunity only when asked', () => {
    const b = new ProjectionBatch();
    b.opportunity('o1', false);
    b.opportunity('o2', true);
    expect([[...b.opportunities], [...b.opportunitiesWithOrders]]).toEqual([['o1', 'o2'], ['o2']]);
  });
});

describe('the projection registry', () => {
  it('lists every event type the read model is built from, once, with its handler', () => {
    expect(PROJECTED_EVENT_TYPES).toHaveLength(35);
    expect(new Set(PROJECTED_EVENT_TYPES).size).toBe(35);
    expect(PROJECTED_EVENT_TYPES).toEqual(
      expect.arrayContaining([
        'crm.rep.upserted',
        'crm.order.confirmed',
        'crm.payment.received',
        'crm.receivable.voided',
        'crm.opportunity.terms_changed',
        'crm.opportunity.reassigned',
        'crm.account.merged',
        'crm.contact.lead_resolved',
        'crm.order.drafted',
      ]),
    );
    for (const type of PROJECTED_EVENT_TYPES) expect(projectionFor(type)).toEqual(expect.any(Function));
  });

  it('has no handler for other types, names without the prefix or inherited keys', () => {
    expect(projectionFor('crm.stock.reserved')).toBeUndefined();
    expect(projectionFor('order.confirmed')).toBeUndefined();
    expect(projectionFor('crm.constructor')).toBeUndefined();
  });
});
