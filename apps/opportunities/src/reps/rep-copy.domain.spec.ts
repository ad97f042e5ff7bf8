import { asTarget, decideRepCopy } from './rep-copy.domain';

const rep = (updatedAt: string) => ({ repId: '0b1c2d3e-4f5a-4b7c-8d9e-0f1a2b3c4d5e', name: 'Wang Fang', team: 'east', active: false, updatedAt });

describe('the reps copy', () => {
  it('stores a first copy and a newer or equally new update, never a late older one', () => {
    expect(decideRepCopy(undefined, rep('2026-12-01T00:00:00Z')).changes).toEqual(rep('2026-12-01T00:00:00Z'));
    expect(decideRepCopy({ updatedAt: new Date('2026-12-01T00:00:00Z') }, rep('2026-12-01T00:00:00.000Z')).changes).not.toBeNull();
    expect(decideRepCopy({ updatedAt: new Date('2026-12-02T00:00:00Z') }, rep('2026-12-01T00:00:00Z')).changes).toBeNull();
  });

  it('reads as a hand-over target', () => {
    expect(asTarget(rep('2026-12-01T00:00:00Z'))).toEqual({ id: '0b1c2d3e-4f5a-4b7c-8d9e-0f1a2b3c4d5e', name: 'Wang Fang', team: 'east', active: false });
  });
});
