import { decideOwnership } from './ownership.domain';

const rep = { sub: 'rep-1', team: 'east' };

describe('decideOwnership', () => {
  it("gives a rep's new record to the rep and their team; a rep cannot hand it to someone else", () => {
    expect(decideOwnership({ kind: 'own', repId: 'rep-1' }, {}, rep)).toEqual({ ownerRepId: 'rep-1', team: 'east' });
    expect(() => decideOwnership({ kind: 'own', repId: 'rep-1' }, { ownerRepId: 'rep-2' }, rep)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
  });

  it('lets a manager place records within their own team only, and an admin anywhere', () => {
    const manager = { sub: 'm-1', team: 'east' };
    expect(decideOwnership({ kind: 'team', team: 'east' }, { ownerRepId: 'rep-9' }, manager)).toEqual({ ownerRepId: 'rep-9', team: 'east' });
    expect(() => decideOwnership({ kind: 'team', team: 'east' }, { team: 'west' }, manager)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
    expect(decideOwnership({ kind: 'all' }, { team: 'west' }, { sub: 'admin' })).toEqual({ ownerRepId: null, team: 'west' });
  });

  it('keeps the current owner on an edit that names none', () => {
    expect(decideOwnership({ kind: 'all' }, {}, { sub: 'admin' }, { ownerRepId: 'rep-1', team: 'east' })).toEqual({ ownerRepId: 'rep-1', team: 'east' });
  });
});
