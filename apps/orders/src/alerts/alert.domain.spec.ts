import { decideAcknowledge, decideDelayAlert, type LateOrder } from './alert.domain';

const late: LateOrder = {
  id: '8f6a3c1e-2b4d-4e5f-9a7b-1c2d3e4f5a6b',
  repId: '1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9',
  team: 'east',
  status: 'confirmed',
  promised: '2026-11-01',
};

describe('decideDelayAlert', () => {
  it('counts days late in business days: 16:00 UTC on Nov 2 is already Nov 3 in Beijing', () => {
    const now = new Date('2026-11-02T16:00:00Z');
    expect(decideDelayAlert(late, { id: 'a', now, zone: 'Asia/Shanghai' }).changes.alert.details).toMatchObject({ daysLate: 2 });
    expect(decideDelayAlert(late, { id: 'a', now, zone: 'UTC' }).changes.alert.details).toMatchObject({ daysLate: 1 });
  });

  it('alerts once per order and promised date, counting whole days late, and publishes order.delayed', () => {
    const now = new Date('2026-11-27T09:00:00Z');
    const { changes, events } = decideDelayAlert(late, { id: 'alert-1', now });
    expect(changes.alert).toEqual({
      id: 'alert-1',
      orderId: late.id,
      repId: late.repId,
      team: 'east',
      kind: 'past_promised_date',
      dedupeKey: `past_promised_date:${late.id}:2026-11-01`,
      message: `Order ${late.id} was promised for 2026-11-01 and is still confirmed (26 day(s) late).`,
      details: { promisedDeliveryDate: '2026-11-01', daysLate: 26, status: 'confirmed' },
    });
    expect(events.map((e) => [e.type, e.data])).toEqual([
      [
        'crm.order.delayed',
        {
          orderId: late.id,
          repId: late.repId,
          status: 'confirmed',
          reason: 'past_promised_date',
          promisedDeliveryDate: '2026-11-01',
          daysLate: 26,
          detectedAt: now.toISOString(),
        },
      ],
    ]);
  });
});

describe('decideAcknowledge', () => {
  it('records the first acknowledgement and keeps it', () => {
    const now = new Date('2026-11-27T09:00:00Z');
    expect(decideAcknowledge({ acknowledgedAt: null }, 'rep-1', now)).toEqual({ changes: { acknowledgedAt: now, acknowledgedBy: 'rep-1' }, events: [] });
    expect(decideAcknowledge({ acknowledgedAt: new Date('2026-11-26T00:00:00Z') }, 'rep-2', now)).toEqual({ changes: null, events: [] });
  });
});
