import { decideOverdue } from './overdue.domain';

describe('decideOverdue', () => {
  const now = new Date('2026-05-19T12:00:00.000Z');
  const r = {
    id: '5a0d9a6c-0000-4000-8000-000000000001',
    orderId: '5a0d9a6c-0000-4000-8000-0000000000a1',
    amount: '100.0000',
    paid: '30.0000',
    currency: 'EUR',
    dueDate: '2026-05-09',
  };

  it('marks each claimed receivable alerted now and publishes receivable.overdue with what is owed and for how long', () => {
    const { changes, events } = decideOverdue({ version: 0, receivables: [r] }, now);
    expect(changes).toEqual({ ids: [r.id], alertedAt: now });
    expect(events).toEqual([expect.objectContaining({ type: 'crm.receivable.overdue', subject: r.id })]);
    expect(events[0].data).toEqual({
      receivableId: r.id,
      orderId: r.orderId,
      outstanding: '70.00',
      currency: 'EUR',
      dueDate: '2026-05-09',
      daysOverdue: 10,
      detectedAt: now.toISOString(),
    });
  });

  it('an empty claim changes and publishes nothing', () => {
    expect(decideOverdue({ version: 0, receivables: [] }, now)).toEqual({ changes: { ids: [], alertedAt: now }, events: [] });
  });
});
