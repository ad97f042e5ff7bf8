import { assertManagesTeam, assertMayChange, decideCreateRep, decideUpdateRep, type RepRow } from './rep.domain';

const ID = '00000000-0000-4000-8000-000000000001';
const now = new Date('2026-03-01T10:00:00Z');
const east = { kind: 'team', team: 'east' } as const;
const forbidden = expect.objectContaining({ kind: 'forbidden', detail: 'A manager manages the reps of their own team only.' });

describe('who manages a rep', () => {
  it('an admin any, a team manager their own team only', () => {
    expect(() => assertManagesTeam({ kind: 'all' }, 'west')).not.toThrow();
    expect(() => assertManagesTeam(east, 'east')).not.toThrow();
    expect(() => assertManagesTeam(east, 'west')).toThrow(forbidden);
    expect(() => assertManagesTeam(east, null)).toThrow(forbidden);
    expect(() => assertManagesTeam({ kind: 'own' }, 'east')).toThrow(forbidden);
  });

  it("a change needs both the rep's team and the team it moves to", () => {
    expect(() => assertMayChange(east, { team: 'east' }, { capacity: 3 })).not.toThrow();
    expect(() => assertMayChange(east, { team: 'east' }, { team: 'west' })).toThrow(forbidden);
    expect(() => assertMayChange(east, { team: 'west' }, { team: 'east' })).toThrow(forbidden);
  });
});

describe('reps', () => {
  it('a new rep takes its defaults and is published whole', () => {
    const { changes, events } = decideCreateRep({ kind: 'all' }, ID, { name: 'Wang Fang', email: 'wang@crm.example', capacity: 25 }, now);
    expect(changes).toEqual({
      id: ID,
      name: 'Wang Fang',
      email: 'wang@crm.example',
      team: null,
      managerId: null,
      regions: [],
      productLines: [],
      capacity: 25,
      active: true,
      away: false,
      updatedAt: now,
    });
    expect(events[0]).toMatchObject({
      type: 'crm.rep.upserted',
      subject: ID,
      data: { repId: ID, capacity: 25, active: true, regions: [], updatedAt: now.toISOString() },
    });
    expect(() => decideCreateRep(east, ID, { name: 'x', email: 'x@crm.example', capacity: 1, team: 'west' }, now)).toThrow(forbidden);
  });

  it('a change keeps the fields not sent and is published whole', () => {
    const current: RepRow = {
      id: ID,
      name: 'A',
      email: 'a@crm.example',
      team: 'east',
      managerId: null,
      regions: ['east'],
      productLines: [],
      capacity: 10,
      active: true,
      away: false,
      updatedAt: new Date(0),
    };
    const { changes, events } = decideUpdateRep(current, { regions: ['east', 'north'], away: true }, now);
    expect(changes).toEqual({ ...current, regions: ['east', 'north'], away: true, updatedAt: now });
    expect(events[0].data).toMatchObject({ repId: ID, name: 'A', team: 'east', regions: ['east', 'north'], capacity: 10, updatedAt: now.toISOString() });
  });
});
