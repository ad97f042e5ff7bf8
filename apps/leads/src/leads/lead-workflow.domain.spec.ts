import {
  decideConvert,
  decideDisqualify,
  decideEdit,
  decideFollowUp,
  decideLinkOpportunity,
  decideQualify,
  decideReassign,
  unassignedAfterReroute,
} from './lead-workflow.domain';
import { LeadStateError, type LeadState } from './lead.domain';

const now = new Date('2026-03-01T10:00:00Z');
const L1 = '33333333-3333-4333-8333-333333333333';
const F1 = '55555555-5555-4555-8555-555555555555';
const OWNER = '11111111-1111-4111-8111-111111111111';
const REP = '22222222-2222-4222-8222-222222222222';
const lead = (over: Partial<LeadState> = {}): LeadState => ({
  id: L1,
  status: 'assigned',
  version: 3,
  ownerRepId: OWNER,
  team: 'east',
  source: 'phone',
  contactName: 'Zhou Min',
  email: 'zhou@bigco.example',
  phone: null,
  company: 'BigCo',
  companySize: 'small',
  region: 'east',
  productInterest: 'valves',
  needs: 'x'.repeat(250),
  score: 40,
  firstFollowedUpAt: null,
  opportunityId: null,
  createdAt: new Date('2026-02-01T00:00:00Z'),
  ...over,
});
const conflict = (code: string) => expect.objectContaining({ kind: 'conflict', code });

describe('follow-ups', () => {
  const cmd = { followUpId: F1, actor: REP, now };

  it('records the first one as the first contact, moving assigned → contacted, and publishes it', () => {
    const { changes, events } = decideFollowUp(lead(), { channel: 'call', content: 'hi', nextActionDueAt: '2026-03-02T00:00:00Z' }, cmd);
    expect(changes).toMatchObject({
      status: 'contacted',
      firstFollowedUpAt: now,
      followUp: { id: F1, leadId: L1, repId: REP, team: 'east', at: now, nextActionDueAt: new Date('2026-03-02T00:00:00Z') },
    });
    expect(events[0]).toMatchObject({
      type: 'crm.lead.followed_up',
      data: { followUpId: F1, repId: REP, channel: 'call', nextActionDueAt: '2026-03-02T00:00:00.000Z' },
    });
  });

  it("keeps the first contact time and status on later ones, and books an integration's entry to the owner", () => {
    const first = new Date('2026-02-10T00:00:00Z');
    const { changes } = decideFollowUp(
      lead({ status: 'qualified', firstFollowedUpAt: first }),
      { channel: 'email', content: 'x', at: '2026-02-20T00:00:00Z' },
      { ...cmd, actor: 'crm-bridge' },
    );
    expect(changes).toMatchObject({
      status: 'qualified',
      firstFollowedUpAt: first,
      followUp: { repId: OWNER, by: 'crm-bridge', at: new Date('2026-02-20T00:00:00Z') },
    });
  });

  it('refuses a lead without an owner or a closed one', () => {
    expect(() => decideFollowUp(lead({ status: 'unassigned', ownerRepId: null }), { channel: 'call', content: 'x' }, cmd)).toThrow(
      conflict('ILLEGAL_TRANSITION'),
    );
    expect(() => decideFollowUp(lead({ ownerRepId: null }), { channel: 'call', content: 'x' }, cmd)).toThrow(LeadStateError);
    expect(() => decideFollowUp(lead({ status: 'converted' }), { channel: 'call', content: 'x' }, cmd)).toThrow(conflict('LEAD_READ_ONLY'));
  });
});

describe('status changes', () => {
  it('qualifies a contacted lead, not a new one', () => {
    const { changes, events } = decideQualify(lead({ status: 'contacted' }), { by: OWNER, note: 'budget', now });
    expect(changes).toEqual({ qualifiedAt: now });
    expect(events[0]).toMatchObject({ type: 'crm.lead.qualified', data: { leadId: L1, by: OWNER, note: 'budget' } });
    expect(() => decideQualify(lead({ status: 'new' }), { by: OWNER, now })).toThrow(conflict('ILLEGAL_TRANSITION'));
  });

  it('closes with the reason and note, freeing the owner only when the lead counted towards their load', () => {
    const { changes, events } = decideDisqualify(lead(), { by: OWNER, reason: 'no_budget', note: 'next year', now });
    expect(changes).toEqual({ kind: 'close', reason: 'no_budget: next year', disqualifiedAt: now, releaseRepId: OWNER });
    expect(events[0]).toMatchObject({ type: 'crm.lead.disqualified', data: { reason: 'no_budget: next year' } });
    expect(decideDisqualify(lead({ status: 'new', ownerRepId: null }), { by: 'x', reason: 'spam', now }).changes).toMatchObject({ releaseRepId: null });
  });

  it('moves the lead instead when the reason blames the routing, which a new lead cannot', () => {
    const { changes, events } = decideDisqualify(lead(), { by: OWNER, reason: 'wrong_territory', now });
    expect(changes).toEqual({ kind: 'reroute', note: 'wrong_territory', excludeRepId: OWNER });
    expect(events).toEqual([]);
    expect(() => decideDisqualify(lead({ status: 'new' }), { by: OWNER, reason: 'wrong_territory', now })).toThrow(conflict('ILLEGAL_TRANSITION'));
  });

  it('queues a rerouted lead nobody can take, saying from whom and why', () => {
    expect(unassignedAfterReroute(lead(), 'wrong_territory', 'no eligible rep')).toEqual({
      releaseRepId: OWNER,
      reason: `wrong_territory (from ${OWNER}); no eligible rep`,
    });
    expect(unassignedAfterReroute(lead({ status: 'unassigned', ownerRepId: null }), 'n', 'r')).toEqual({ releaseRepId: null, reason: 'n (from nobody); r' });
  });

  it('converts only a qualified lead, with its needs as product needs when none are given', () => {
    const { changes, events } = decideConvert(lead({ status: 'qualified' }), { expectedAmount: '12000.5', currency: 'USD' }, { by: OWNER, now });
    expect(changes).toMatchObject({
      convertedAt: now,
      releaseRepId: OWNER,
      conversion: { expectedAmount: '12000.50', currency: 'USD', productNeeds: ['x'.repeat(200)], by: OWNER },
    });
    expect(events[0]).toMatchObject({
      type: 'crm.lead.converted',
      data: { repId: OWNER, customer: { name: 'Zhou Min', company: 'BigCo' }, productLine: 'valves', capturedAt: '2026-02-01T00:00:00.000Z' },
    });
    expect(() => decideConvert(lead({ status: 'contacted' }), {}, { by: OWNER, now })).toThrow(conflict('ILLEGAL_TRANSITION'));
    expect(() => decideConvert(lead({ status: 'converted' }), {}, { by: OWNER, now })).toThrow(conflict('LEAD_READ_ONLY'));
  });
});

describe('re-assignment by a manager', () => {
  it("keeps a team manager's pick within their team, an admin's anywhere", () => {
    expect(() => decideReassign(lead(), { repId: REP, managerTeam: 'east', repTeam: 'west' })).toThrow(conflict('NO_ELIGIBLE_REP'));
    expect(() => decideReassign(lead(), { repId: REP, managerTeam: 'east', repTeam: undefined })).toThrow(/not in team east/);
    expect(decideReassign(lead(), { repId: REP, managerTeam: 'east', repTeam: 'east' }).changes).toEqual({ repId: REP, excludeRepId: OWNER });
    expect(decideReassign(lead(), { repId: REP, repTeam: 'west' }).changes).toEqual({ repId: REP, excludeRepId: OWNER });
  });

  it('cannot move a new or closed lead', () => {
    expect(() => decideReassign(lead({ status: 'new' }), {})).toThrow(conflict('ILLEGAL_TRANSITION'));
    expect(() => decideReassign(lead({ status: 'disqualified' }), {})).toThrow(LeadStateError);
  });
});

describe('edits', () => {
  it('re-keys the contact for de-duplication and marks a change to what the rules look at as a re-score', () => {
    const { changes, events } = decideEdit(lead(), { phone: '+1 555 0100', region: 'west', score: 80 });
    expect(events).toEqual([]);
    expect(changes).toMatchObject({
      contactName: null,
      email: 'zhou@bigco.example',
      phone: '+1 555 0100',
      key: { email: 'zhou@bigco.example', phone: '+15550100', company: 'bigco' },
      region: 'west',
      score: 80,
      rescored: true,
    });
  });

  it('is no re-score when the rule facts are unchanged or not sent', () => {
    expect(decideEdit(lead(), { region: 'east', needs: 'more' }).changes.rescored).toBe(false);
    expect(decideEdit(lead(), { companySize: 'large' }).changes.rescored).toBe(true);
  });

  it('marks a change of the quality score as a re-score, the same score sent again as none', () => {
    expect(decideEdit(lead(), { score: 75 }).changes).toMatchObject({ score: 75, rescored: true });
    expect(decideEdit(lead(), { score: 40 }).changes.rescored).toBe(false);
    expect(decideEdit(lead({ score: null }), { score: 0 }).changes.rescored).toBe(true);
  });

  it('refuses to edit a converted lead', () => {
    expect(() => decideEdit(lead({ status: 'converted' }), { needs: 'x' })).toThrow(conflict('LEAD_READ_ONLY'));
  });
});

describe('the opportunity link', () => {
  it('is made once', () => {
    expect(decideLinkOpportunity(lead(), 'o1').changes).toEqual({ opportunityId: 'o1' });
    expect(decideLinkOpportunity(lead({ opportunityId: 'o1' }), 'o2').changes).toBeNull();
  });
});
