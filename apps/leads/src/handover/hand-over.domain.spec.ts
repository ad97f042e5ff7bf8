import { assertAnotherRep, decideLeadHandOver, decideRepHandOver, type LeadToHandOver } from './hand-over.domain';

const from = '0b1c2d3e-4f5a-4b7c-8d9e-0f1a2b3c4d5e';
const to = { id: '1b1c2d3e-4f5a-4b7c-8d9e-0f1a2b3c4d5e', name: 'Wang Fang', team: 'east', active: true };
const now = new Date('2026-12-15T08:00:00Z');
const lead = (over: Partial<LeadToHandOver> = {}): LeadToHandOver => ({
  id: '2b1c2d3e-4f5a-4b7c-8d9e-0f1a2b3c4d5e',
  status: 'assigned',
  ownerRepId: from,
  version: 3,
  firstFollowedUpAt: null,
  firstFollowUpDueAt: new Date('2026-12-15T09:00:00Z'),
  followUpHours: 24,
  ...over,
});
const cmd = { reason: 'leaves the company', by: 'manager-1', now, hourMs: 3_600_000 };
const admin = { scope: { kind: 'all' as const }, toRepId: to.id, target: to };

describe('decideLeadHandOver', () => {
  it('moves an open lead with the reason in lead.reassigned, and a fresh deadline while it waits for its first follow-up', () => {
    const { changes, events } = decideLeadHandOver(lead(), admin, { ...cmd, handOverId: '3b1c2d3e-4f5a-4b7c-8d9e-0f1a2b3c4d5e' });
    expect(changes).toMatchObject({ fromRepId: from, toRepId: to.id, team: 'east', movesLoad: true, deadline: new Date('2026-12-16T08:00:00Z') });
    expect(changes.historyReason).toBe('handed over by manager-1: leaves the company');
    expect(events.map((e) => [e.type, e.data])).toEqual([
      [
        'crm.lead.reassigned',
        expect.objectContaining({
          fromRepId: from,
          toRepId: to.id,
          reason: 'manual',
          note: 'leaves the company',
          by: 'manager-1',
          handOverId: '3b1c2d3e-4f5a-4b7c-8d9e-0f1a2b3c4d5e',
        }),
      ],
    ]);
  });

  it('keeps the deadline of a lead already followed up', () => {
    const due = new Date('2026-12-01T00:00:00Z');
    const { changes } = decideLeadHandOver(lead({ status: 'contacted', firstFollowedUpAt: due, firstFollowUpDueAt: due }), admin, cmd);
    expect(changes.deadline).toEqual(due);
  });

  it('refuses closed and unowned leads, a hand-over to the owner and an inactive rep', () => {
    expect(() => decideLeadHandOver(lead({ status: 'converted' }), admin, cmd)).toThrow(expect.objectContaining({ code: 'RECORD_CLOSED' }));
    expect(() => decideLeadHandOver(lead({ status: 'unassigned', ownerRepId: null }), admin, cmd)).toThrow(expect.objectContaining({ code: 'NO_OWNER' }));
    expect(() => decideLeadHandOver(lead({ ownerRepId: to.id }), admin, cmd)).toThrow(expect.objectContaining({ code: 'ALREADY_OWNER' }));
    expect(() => decideLeadHandOver(lead(), { ...admin, target: { ...to, active: false } }, cmd)).toThrow(expect.objectContaining({ code: 'REP_INACTIVE' }));
  });
});

describe('a rep hand-over', () => {
  it('never goes to the same rep, and publishes rep.handed_over keyed by the rep handing over', () => {
    expect(() => assertAnotherRep(from, from)).toThrow(expect.objectContaining({ kind: 'invalid' }));
    const h = {
      id: '3b1c2d3e-4f5a-4b7c-8d9e-0f1a2b3c4d5e',
      fromRepId: from,
      toRepId: to.id,
      reason: 'r',
      kinds: ['opportunities' as const],
      leadsMoved: 0,
      by: 'm',
      at: now,
    };
    const [event] = decideRepHandOver(h, 'east').events;
    expect(event).toMatchObject({
      type: 'crm.rep.handed_over',
      subject: from,
      data: { handOverId: h.id, toTeam: 'east', kinds: ['opportunities'], leadsMoved: 0 },
    });
  });
});
