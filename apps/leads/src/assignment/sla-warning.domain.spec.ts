import { definitionOf } from '@crm/contracts';
import { decideFollowUpWarning, isFollowUpWarningDue, type WatchedLead } from './sla-warning.domain';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const [REP, LEAD] = [id(1), id(9)];
const MINUTE = 60_000;
const now = new Date('2026-03-01T10:00:00Z');
const due = new Date('2026-03-01T10:20:00Z'); // 20 minutes ahead
const WINDOW = 30 * MINUTE;
const lead = (over: Partial<WatchedLead> = {}): WatchedLead => ({
  id: LEAD,
  status: 'assigned',
  ownerRepId: REP,
  team: 'east',
  firstFollowUpDueAt: due,
  firstFollowedUpAt: null,
  warnedFor: null,
  ...over,
});

describe('whether a lead is due a first-follow-up warning', () => {
  it('warns an owner with no follow-up yet whose deadline is ahead and within the window', () => {
    expect(isFollowUpWarningDue(lead(), now, WINDOW)).toBe(true);
    // The window's edge is inside it; a deadline one millisecond further is not yet.
    expect(isFollowUpWarningDue(lead({ firstFollowUpDueAt: new Date(now.getTime() + WINDOW) }), now, WINDOW)).toBe(true);
    expect(isFollowUpWarningDue(lead({ firstFollowUpDueAt: new Date(now.getTime() + WINDOW + 1) }), now, WINDOW)).toBe(false);
  });

  it('does not warn about a deadline already passed: that lead is for the re-assignment', () => {
    expect(isFollowUpWarningDue(lead({ firstFollowUpDueAt: now }), now, WINDOW)).toBe(false);
    expect(isFollowUpWarningDue(lead({ firstFollowUpDueAt: new Date(now.getTime() - MINUTE) }), now, WINDOW)).toBe(false);
  });

  it('does not warn once a follow-up is logged, nor for a lead no longer waiting for one, nor without an owner or a deadline', () => {
    expect(isFollowUpWarningDue(lead({ firstFollowedUpAt: now }), now, WINDOW)).toBe(false);
    for (const status of ['contacted', 'qualified', 'disqualified', 'converted', 'unassigned'] as const) {
      expect(isFollowUpWarningDue(lead({ status }), now, WINDOW)).toBe(false);
    }
    expect(isFollowUpWarningDue(lead({ ownerRepId: null }), now, WINDOW)).toBe(false);
    expect(isFollowUpWarningDue(lead({ firstFollowUpDueAt: null }), now, WINDOW)).toBe(false);
  });

  it('warns once per deadline: not again for the same one, again for a new one', () => {
    expect(isFollowUpWarningDue(lead({ warnedFor: new Date(due.getTime()) }), now, WINDOW)).toBe(false);
    expect(isFollowUpWarningDue(lead({ warnedFor: new Date('2026-02-27T10:00:00Z') }), now, WINDOW)).toBe(true);
  });

  it('a window of 0 warns about nothing', () => {
    expect(isFollowUpWarningDue(lead(), now, 0)).toBe(false);
  });
});

describe('the warning', () => {
  it('records the deadline warned about and tells the owner, valid under the contract', () => {
    const { changes, events } = decideFollowUpWarning(lead(), now, WINDOW);
    expect(changes).toEqual({ warn: true, deadline: due });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: expect.stringMatching(/lead\.first_follow_up_due_soon$/),
      subject: LEAD,
      data: { leadId: LEAD, repId: REP, team: 'east', firstFollowUpDueAt: due.toISOString(), warnedAt: now.toISOString() },
    });
    expect(definitionOf('lead.first_follow_up_due_soon').data.safeParse(events[0].data).success).toBe(true);
  });

  it('leaves the team out for an owner without one', () => {
    const { events } = decideFollowUpWarning(lead({ team: null }), now, WINDOW);
    expect((events[0].data as { team?: string }).team).toBeUndefined();
    expect(definitionOf('lead.first_follow_up_due_soon').data.safeParse(events[0].data).success).toBe(true);
  });

  it('changes nothing and publishes nothing when no warning is due', () => {
    expect(decideFollowUpWarning(lead({ warnedFor: due }), now, WINDOW)).toEqual({ changes: { warn: false }, events: [] });
  });
});
