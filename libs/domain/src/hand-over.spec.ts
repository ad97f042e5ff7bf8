import { assertHandOverTarget, assertMayHandOverFrom, assertNewOwner, assertOpenForHandOver } from './hand-over';

const rep = { id: '0b1c2d3e-4f5a-4b7c-8d9e-0f1a2b3c4d5e', name: 'Wang Fang', team: 'east', active: true };
const all = { kind: 'all' } as const;
const east = { kind: 'team', team: 'east' } as const;

describe('hand-over rules', () => {
  it('takes a known, active rep: anyone for an admin, the own team for a manager', () => {
    expect(assertHandOverTarget(all, rep.id, rep)).toBe(rep);
    expect(assertHandOverTarget(east, rep.id, rep)).toBe(rep);
    expect(assertHandOverTarget(all, rep.id, { ...rep, team: 'west' })).toMatchObject({ team: 'west' });
  });

  it('refuses an unknown rep (400) and an inactive one (409), naming toRepId and the rep', () => {
    expect(() => assertHandOverTarget(all, rep.id, undefined)).toThrow(
      expect.objectContaining({ kind: 'invalid', code: 'UNKNOWN_REP', fields: [expect.objectContaining({ field: 'toRepId', constraint: 'knownRep' })] }),
    );
    expect(() => assertHandOverTarget(all, rep.id, { ...rep, active: false })).toThrow(
      expect.objectContaining({
        kind: 'conflict',
        code: 'REP_INACTIVE',
        detail: expect.stringContaining('Wang Fang'),
        fields: [expect.objectContaining({ field: 'toRepId', constraint: 'activeRep' })],
      }),
    );
  });

  it('keeps a manager within their team, and a manager without a team out', () => {
    expect(() => assertHandOverTarget(east, rep.id, { ...rep, team: 'west' })).toThrow(expect.objectContaining({ kind: 'forbidden', code: 'OTHER_TEAM' }));
    expect(() => assertHandOverTarget({ kind: 'own' }, rep.id, rep)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
    expect(() => assertMayHandOverFrom(east, { id: rep.id, team: 'west' })).toThrow(expect.objectContaining({ code: 'OTHER_TEAM' }));
    expect(() => assertMayHandOverFrom(east, { id: rep.id, team: 'east' })).not.toThrow();
    expect(() => assertMayHandOverFrom({ kind: 'own' }, undefined)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
  });

  it('refuses closed records and a hand-over to the owner', () => {
    expect(() => assertOpenForHandOver('order', '42', 'completed', false)).toThrow(expect.objectContaining({ kind: 'conflict', code: 'RECORD_CLOSED' }));
    expect(() => assertOpenForHandOver('order', '42', 'shipped', true)).not.toThrow();
    expect(() => assertNewOwner('lead', '7', rep.id, rep.id)).toThrow(expect.objectContaining({ code: 'ALREADY_OWNER' }));
    expect(() => assertNewOwner('lead', '7', null, rep.id)).not.toThrow();
  });
});
