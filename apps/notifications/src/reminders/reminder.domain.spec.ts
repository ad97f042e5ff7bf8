import { stepDue, type Reminder } from './reminder.domain';

const due = new Date('2026-12-01T08:00:00Z');
const r = (over: Partial<Reminder> = {}): Reminder => ({
  leadId: 'l',
  followUpId: 'f',
  nextAction: 'call back',
  dueAt: due,
  dueSentAt: null,
  overdueSentAt: null,
  ...over,
});
const at = (hoursAfterDue: number) => new Date(due.getTime() + hoursAfterDue * 3_600_000);

describe('next-action reminders', () => {
  it('says nothing before the due time', () => expect(stepDue(r(), at(-0.01), 24)).toBeNull());
  it('says "due" once the time has come, once', () => {
    expect(stepDue(r(), at(0), 24)).toBe('due');
    expect(stepDue(r({ dueSentAt: at(0) }), at(1), 24)).toBeNull();
  });
  it('says "overdue" after the grace period, once', () => {
    expect(stepDue(r({ dueSentAt: at(0) }), at(24), 24)).toBe('overdue');
    expect(stepDue(r({ dueSentAt: at(0), overdueSentAt: at(24) }), at(48), 24)).toBeNull();
  });
  it('skips the due notice of something found already overdue', () => expect(stepDue(r(), at(30), 24)).toBe('overdue'));
});
