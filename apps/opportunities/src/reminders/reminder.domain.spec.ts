import { randomUUID } from 'node:crypto';
import { overdueEvents } from './reminder.domain';

describe('overdueEvents', () => {
  it('publishes one opportunity.stage_overdue per crossing, keyed by its opportunity', () => {
    const now = new Date('2026-02-08T10:00:00Z');
    const crossing = {
      opportunityId: randomUUID(),
      repId: randomUUID(),
      stage: 'needs_analysis',
      stageEnteredAt: new Date('2026-02-01T09:00:00Z'),
      limitHours: 168,
    };
    const [event, ...rest] = overdueEvents([crossing], now);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ type: 'crm.opportunity.stage_overdue', subject: crossing.opportunityId });
    expect(event.data).toEqual({
      opportunityId: crossing.opportunityId,
      repId: crossing.repId,
      stage: 'needs_analysis',
      enteredAt: '2026-02-01T09:00:00.000Z',
      limitHours: 168,
      detectedAt: now.toISOString(),
    });
    expect(overdueEvents([], now)).toEqual([]);
  });
});
