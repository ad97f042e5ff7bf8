import { randomUUID } from 'node:crypto';
import { HOUR_MS, overdueEvents, stageDueAt } from './reminder.domain';

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

describe('stageDueAt', () => {
  const enteredAt = new Date('2026-02-01T09:00:00Z');

  it('counts real hours by default', () => {
    expect(stageDueAt(enteredAt, 168)).toEqual(new Date('2026-02-08T09:00:00Z'));
    expect(stageDueAt(enteredAt, 1, HOUR_MS)).toEqual(new Date('2026-02-01T10:00:00Z'));
  });

  it('compresses every limit alike when an hour is shorter: 1 h of 1 s is 1 s, 168 h are 168 s', () => {
    expect(stageDueAt(enteredAt, 1, 1000)).toEqual(new Date('2026-02-01T09:00:01Z'));
    expect(stageDueAt(enteredAt, 168, 1000)).toEqual(new Date('2026-02-01T09:02:48Z'));
    expect(stageDueAt(enteredAt, 3, 100).getTime() - enteredAt.getTime()).toBe(300);
  });

  it('keeps the configured hours in the event whatever the length of an hour', () => {
    const now = stageDueAt(enteredAt, 2, 1000);
    const [event] = overdueEvents([{ opportunityId: randomUUID(), repId: randomUUID(), stage: 'proposal', stageEnteredAt: enteredAt, limitHours: 2 }], now);
    expect(event.data).toMatchObject({ limitHours: 2, enteredAt: '2026-02-01T09:00:00.000Z', detectedAt: '2026-02-01T09:00:02.000Z' });
  });
});
