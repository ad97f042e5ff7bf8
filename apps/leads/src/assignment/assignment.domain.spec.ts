import {
  chooseRep,
  compareCandidates,
  decide,
  firstMatchingRule,
  followUpDeadline,
  isSlaBreached,
  ruleMatches,
  simulate,
  type Candidate,
  type Rule,
} from './assignment.domain';

const rep = (id: string, over: Partial<Candidate> = {}): Candidate => ({
  id,
  team: 'east',
  capacity: 10,
  openLeads: 0,
  active: true,
  away: false,
  lastAssignedAt: null,
  ...over,
});
const rule = (over: Partial<Rule>): Rule => ({
  id: over.name ?? 'r',
  name: 'r',
  position: 0,
  match: {},
  target: { kind: 'team', team: 'east' },
  followUpHours: 72,
  active: true,
  ...over,
});

describe('rule matching', () => {
  it('needs every condition the rule sets, ignoring case; an empty rule matches anything', () => {
    const r = rule({ match: { regions: ['East'], companySizes: ['enterprise'] } });
    expect(ruleMatches(r, { source: 'web_form', region: 'east', companySize: 'enterprise' })).toBe(true);
    expect(ruleMatches(r, { source: 'web_form', region: 'east', companySize: 'small' })).toBe(false);
    expect(ruleMatches(r, { source: 'web_form', companySize: 'enterprise' })).toBe(false);
    expect(ruleMatches(rule({}), { source: 'phone' })).toBe(true);
    expect(ruleMatches(rule({ match: { sources: ['trade_show'], productLines: ['pumps'] } }), { source: 'trade_show', productInterest: 'Pumps' })).toBe(true);
  });

  it('takes the first active rule by position, not by list order', () => {
    const rules = [rule({ name: 'late', position: 5 }), rule({ name: 'off', position: 0, active: false }), rule({ name: 'early', position: 1 })];
    expect(firstMatchingRule(rules, { source: 'phone' })?.name).toBe('early');
  });
});

describe('choosing a rep', () => {
  it('picks the lowest load relative to capacity, not the lowest count', () => {
    const reps = [rep('a', { openLeads: 3, capacity: 10 }), rep('b', { openLeads: 5, capacity: 40 })];
    expect(chooseRep({ kind: 'team', team: 'east' }, reps)?.id).toBe('b');
  });

  it('skips away, inactive, full and other-team reps, and the excluded owner', () => {
    const reps = [rep('a', { away: true }), rep('b', { active: false }), rep('c', { openLeads: 10 }), rep('d', { team: 'west' }), rep('e'), rep('f')];
    expect(chooseRep({ kind: 'team', team: 'east' }, reps, { excludeRepId: 'e' })?.id).toBe('f');
    expect(chooseRep({ kind: 'team', team: 'east' }, reps.slice(0, 4))).toBeUndefined();
    expect(chooseRep({ kind: 'pool', repIds: ['c', 'd'] }, reps)?.id).toBe('d');
    expect(chooseRep({ kind: 'rep', repId: 'a' }, reps)).toBeUndefined();
  });

  it('breaks ties fairly: the rep who waited longest goes first, then id — not insertion order', () => {
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    const reps = [rep('a', { lastAssignedAt: t(3) }), rep('z', { lastAssignedAt: t(1) }), rep('m', { lastAssignedAt: t(2) })];
    expect(chooseRep({ kind: 'team', team: 'east' }, reps)?.id).toBe('z');
    expect(compareCandidates(rep('b'), rep('a', { lastAssignedAt: t(0) }))).toBeLessThan(0); // never assigned waits longest
    expect(compareCandidates(rep('a'), rep('b'))).toBeLessThan(0);
  });

  it('round-robins equal reps in turn when assignments are replayed', () => {
    const reps = [rep('c'), rep('a'), rep('b')];
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      const chosen = chooseRep({ kind: 'team', team: 'east' }, reps)!;
      order.push(chosen.id);
      // a lead closes at once: the load stays equal, only the turn moves on
      chosen.lastAssignedAt = new Date(1_000 + i);
    }
    expect(order).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('explains its decision, or why nobody could take the lead', () => {
    const rules = [rule({ name: 'East enterprise', match: { regions: ['east'] } })];
    const d = decide(rules, [rep('a', { openLeads: 2 })], { source: 'web_form', region: 'east' });
    expect(d).toMatchObject({ kind: 'assigned', reason: "rule 'East enterprise' → team east, lowest load 2/10" });
    expect(decide(rules, [rep('a', { openLeads: 10 })], { source: 'web_form', region: 'east' })).toMatchObject({
      kind: 'unassigned',
      reason: expect.stringContaining('no eligible rep'),
    });
    expect(decide(rules, [rep('a')], { source: 'web_form', region: 'west' })).toMatchObject({ kind: 'unassigned', reason: 'no active rule matches the lead' });
  });
});

describe('SLA deadline', () => {
  it('is the assignment time plus the rule hours (72 by default)', () => {
    const at = new Date('2026-03-01T10:00:00Z');
    expect(followUpDeadline(at).toISOString()).toBe('2026-03-04T10:00:00.000Z');
    expect(followUpDeadline(at, 4).toISOString()).toBe('2026-03-01T14:00:00.000Z');
  });

  it('is breached only when passed without a follow-up on an assigned lead', () => {
    const due = new Date('2026-03-04T10:00:00Z');
    const now = new Date('2026-03-04T10:00:01Z');
    expect(isSlaBreached({ status: 'assigned', firstFollowUpDueAt: due, firstFollowedUpAt: null }, now)).toBe(true);
    expect(isSlaBreached({ status: 'assigned', firstFollowUpDueAt: due, firstFollowedUpAt: null }, new Date('2026-03-04T09:59:59Z'))).toBe(false);
    expect(isSlaBreached({ status: 'contacted', firstFollowUpDueAt: due, firstFollowedUpAt: due }, now)).toBe(false);
  });
});

describe('simulation', () => {
  it('replays leads through proposed rules with per-rep load and the difference from what happened, changing nothing', () => {
    const reps = [rep('a', { capacity: 1, openLeads: 7 }), rep('b', { capacity: 5 }), rep('w', { team: 'west' })];
    const leads = [
      { id: 'l1', source: 'web_form', region: 'east', createdAt: new Date(1), actualRepId: 'w' },
      { id: 'l2', source: 'web_form', region: 'east', createdAt: new Date(2), actualRepId: 'w' },
      { id: 'l3', source: 'web_form', region: 'north', createdAt: new Date(3), actualRepId: null },
    ];
    const frozen = JSON.stringify(reps);
    const result = simulate([rule({ match: { regions: ['east'] } })], reps, leads);
    expect(JSON.stringify(reps)).toBe(frozen);
    expect(result.leads.map((l) => l.repId)).toEqual(['a', 'b', null]);
    expect(result.totals).toEqual({ leads: 3, assigned: 2, unassigned: 1, changed: 2 });
    expect(result.reps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ repId: 'a', simulated: 1, actual: 0, difference: 1 }),
        expect.objectContaining({ repId: 'w', simulated: 0, actual: 2, difference: -2 }),
      ]),
    );
  });
});
