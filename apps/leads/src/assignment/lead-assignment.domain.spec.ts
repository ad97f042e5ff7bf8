import { definitionOf } from '@crm/contracts';
import type { Candidate, Rule } from './assignment.domain';
import { assignmentTarget, decideAssignment, noEligibleRep, type AssignOptions, type AssignmentState, type LeadToAssign } from './lead-assignment.domain';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const [A, B, C, LEAD, RULE] = [id(1), id(2), id(3), id(9), id(7)];
const now = new Date('2026-03-01T10:00:00Z');
const rep = (repId: string, over: Partial<Candidate> = {}): Candidate => ({
  id: repId,
  team: 'east',
  capacity: 10,
  openLeads: 0,
  active: true,
  away: false,
  lastAssignedAt: null,
  ...over,
});
const rule = (over: Partial<Rule> = {}): Rule => ({
  id: RULE,
  name: 'East',
  position: 0,
  match: { regions: ['east'] },
  target: { kind: 'team', team: 'east' },
  followUpHours: 4,
  active: true,
  ...over,
});
const lead = (over: Partial<LeadToAssign> = {}): LeadToAssign => ({
  id: LEAD,
  status: 'new',
  version: 1,
  ownerRepId: null,
  source: 'phone',
  region: 'east',
  ...over,
});
const state = (l: LeadToAssign, candidates: Candidate[], rules = [rule()]): AssignmentState => ({ version: l.version, lead: l, rules, candidates });
const opts = (over: Partial<AssignOptions> = {}): AssignOptions => ({ kind: 'initial', by: 'system', now, ...over });

describe('which reps an assignment locks', () => {
  it("is the manager's pick, else the target of the matching rule, else none", () => {
    expect(assignmentTarget([rule()], lead(), B)).toEqual({ kind: 'rep', repId: B });
    expect(assignmentTarget([rule()], lead())).toEqual({ kind: 'team', team: 'east' });
    expect(assignmentTarget([rule()], lead({ region: 'west' }))).toBeUndefined();
  });
});

describe('assigning one lead', () => {
  it("gives a first owner by the rules, with the rule's deadline, and publishes lead.assigned", () => {
    const { changes, events } = decideAssignment(state(lead(), [rep(A, { openLeads: 3 }), rep(B, { openLeads: 1 })]), opts());
    expect(changes).toMatchObject({
      assigned: true,
      repId: B,
      team: 'east',
      previousRepId: null,
      releasePrevious: false,
      ruleId: RULE,
      kind: 'initial',
      deadline: new Date('2026-03-01T14:00:00Z'),
    });
    expect(changes.assigned && changes.reason).toBe("rule 'East' → team east, lowest load 1/10");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'crm.lead.assigned',
      data: { leadId: LEAD, repId: B, team: 'east', rule: 'East', firstFollowUpDueAt: '2026-03-01T14:00:00.000Z' },
    });
  });

  it('shortens the deadline with the SLA hour', () => {
    const { changes } = decideAssignment(state(lead(), [rep(A)]), opts(), 1000);
    expect(changes).toMatchObject({ deadline: new Date(now.getTime() + 4_000) });
  });

  it('says why nobody could take it, changing and publishing nothing', () => {
    expect(decideAssignment(state(lead(), [rep(A, { openLeads: 10 })]), opts())).toEqual({
      changes: { assigned: false, reason: expect.stringContaining('no eligible rep') },
      events: [],
    });
    expect(decideAssignment(state(lead({ region: 'west' }), [rep(A)]), opts()).changes).toEqual({ assigned: false, reason: 'no active rule matches the lead' });
  });

  it('moves an owned lead away from its owner, freeing their load, and publishes lead.reassigned with the reason', () => {
    const owned = lead({ status: 'assigned', ownerRepId: A });
    const { changes, events } = decideAssignment(
      state(owned, [rep(A), rep(B, { openLeads: 5 })]),
      opts({ kind: 'quality', by: 'boss', excludeRepId: A, note: 'lead re-scored' }),
    );
    expect(changes).toMatchObject({ assigned: true, repId: B, previousRepId: A, releasePrevious: true });
    expect(changes.assigned && changes.reason).toBe("rule 'East' → team east, lowest load 5/10 (quality by boss: lead re-scored)");
    expect(events[0]).toMatchObject({ type: 'crm.lead.reassigned', data: { fromRepId: A, toRepId: B, reason: 'lead_quality' } });
    const sla = decideAssignment(state(owned, [rep(A), rep(B)]), opts({ kind: 'sla_breach', excludeRepId: A, breachedDeadline: now }));
    expect(sla.events[0].data).toMatchObject({ reason: 'sla_breach' });
    expect(sla.changes).toMatchObject({ breachedDeadline: now });
  });

  it('frees no load for a queued lead that had an owner', () => {
    const queued = lead({ status: 'unassigned', ownerRepId: A });
    expect(decideAssignment(state(queued, [rep(B)]), opts({ kind: 'retry' })).changes).toMatchObject({ previousRepId: A, releasePrevious: false });
  });

  it("takes the manager's pick if eligible, whatever the rules, and says who chose", () => {
    const picked = decideAssignment(
      state(lead({ region: 'nowhere' }), [rep(C, { team: 'west' })], []),
      opts({ kind: 'manual', by: 'boss', repId: C, note: 'trip' }),
    );
    expect(picked.changes).toMatchObject({
      assigned: true,
      repId: C,
      ruleId: null,
      reason: 'chosen by boss: trip',
      deadline: new Date('2026-03-04T10:00:00Z'),
    });
    expect(decideAssignment(state(lead(), [rep(C, { away: true })], []), opts({ repId: C })).changes).toEqual({
      assigned: false,
      reason: `rep ${C} is unknown, inactive, away, at capacity or already the owner`,
    });
  });

  it("falls back to the owner's team when the rules' target has nobody else", () => {
    const owned = lead({ status: 'assigned', ownerRepId: A, region: 'west' });
    const { changes } = decideAssignment(state(owned, [rep(A), rep(B)]), opts({ kind: 'sla_breach', excludeRepId: A, fallbackTeam: 'east' }));
    expect(changes).toMatchObject({
      assigned: true,
      repId: B,
      ruleId: null,
      reason: 'no active rule matches the lead; fell back to team east, lowest load 0/10',
      deadline: new Date('2026-03-04T10:00:00Z'),
    });
    expect(decideAssignment(state(owned, [rep(A), rep(B)]), opts({ kind: 'sla_breach', excludeRepId: A })).changes).toMatchObject({ assigned: false });
  });
});

describe('a re-score', () => {
  const scoreChange = { from: 40, to: 75, previousRule: 'Warm', rule: 'East' };

  it("publishes score_changed with the scores and both rules, and gives the new owner the new rule's deadline", () => {
    const owned = lead({ status: 'contacted', ownerRepId: A, score: 75 });
    const { changes, events } = decideAssignment(
      state(owned, [rep(A), rep(B, { openLeads: 2 })]),
      opts({ kind: 'quality', by: 'boss', excludeRepId: A, note: 'score_changed: score 40 → 75', scoreChange }),
    );
    expect(changes).toMatchObject({ assigned: true, repId: B, kind: 'quality', previousRepId: A, deadline: new Date('2026-03-01T14:00:00Z') });
    expect(changes.assigned && changes.reason).toContain('score_changed: score 40 → 75');
    expect(events[0]).toMatchObject({
      type: 'crm.lead.reassigned',
      data: { fromRepId: A, toRepId: B, reason: 'score_changed', scoreChange, firstFollowUpDueAt: '2026-03-01T14:00:00.000Z' },
    });
    const first = decideAssignment(state(lead({ status: 'unassigned', score: 75 }), [rep(B)]), opts({ kind: 'retry', scoreChange }));
    expect(first.events[0]).toMatchObject({ type: 'crm.lead.assigned', data: { rule: 'East', scoreChange } });
  });

  it('keeps messages written before scoreChange existed valid, and a score from nothing valid', () => {
    const valid = (data: object) => definitionOf('lead.reassigned').data.safeParse(data).success;
    const old = { leadId: LEAD, fromRepId: A, toRepId: B, reason: 'lead_quality', reassignedAt: now.toISOString(), firstFollowUpDueAt: now.toISOString() };
    expect(valid(old)).toBe(true);
    const scored = { ...old, reason: 'score_changed', scoreChange: { from: null, to: 90, rule: 'Hot' } };
    expect(valid(scored)).toBe(true);
    expect(valid({ ...scored, scoreChange: { from: 1, to: 101, rule: 'Hot' } })).toBe(false);
  });

  it('is refused as a conflict when nobody can take the lead', () => {
    expect(noEligibleRep('all busy')).toMatchObject({ kind: 'conflict', code: 'NO_ELIGIBLE_REP', detail: 'No rep can take the lead: all busy.' });
  });
});
