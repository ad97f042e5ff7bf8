import { checkSimulationPeriod, checkSimulationSize, decideCreateRule, decideUpdateRule, MAX_SIMULATED_LEADS, proposedRules, targetOf } from './rule.domain';

const REP = '00000000-0000-4000-8000-000000000001';

describe('assignment rules', () => {
  it('a new rule matches everything, gives 72 hours and is active unless told otherwise', () => {
    expect(decideCreateRule('r1', { name: 'All', position: 3, target: { kind: 'team', team: 'east', repId: REP } })).toEqual({
      changes: { id: 'r1', name: 'All', position: 3, match: {}, target: { kind: 'team', team: 'east' }, followUpHours: 72, active: true },
      events: [],
    });
    expect(decideCreateRule('r2', { name: 'Off', position: 0, target: { kind: 'rep', repId: REP }, followUpHours: 4, active: false }).changes).toMatchObject({
      followUpHours: 4,
      active: false,
    });
  });

  it("stores a pool without repeats and only the fields of the target's kind", () => {
    expect(targetOf({ kind: 'pool', repIds: [REP, REP], team: 'x' })).toEqual({ kind: 'pool', repIds: [REP] });
    expect(targetOf({ kind: 'rep', repId: REP, repIds: [REP] })).toEqual({ kind: 'rep', repId: REP });
  });

  it('changes only the fields sent, the target as stored', () => {
    expect(decideUpdateRule({ position: 5 }).changes).toEqual({ position: 5 });
    expect(decideUpdateRule({ target: { kind: 'pool', repIds: [REP, REP] } }).changes).toEqual({ target: { kind: 'pool', repIds: [REP] } });
  });

  it('refuses score bounds no score meets, naming the field, and keeps sound ones', () => {
    const band = (minScore: number, maxScore: number) => ({
      name: 'Hot',
      position: 0,
      match: { minScore, maxScore },
      target: { kind: 'team' as const, team: 'east' },
    });
    expect(() => decideCreateRule('r1', band(80, 60))).toThrow(
      expect.objectContaining({ kind: 'invalid', fields: [{ field: 'match.maxScore', message: 'maxScore must not be below minScore' }] }),
    );
    expect(() => decideUpdateRule({ match: { minScore: 50, maxScore: 49 } })).toThrow(expect.objectContaining({ kind: 'invalid' }));
    expect(() => proposedRules([band(0, 10), band(9, 1)])).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ field: 'rules[1].match.maxScore' })] }),
    );
    expect(decideCreateRule('r1', band(60, 60)).changes.match).toEqual({ minScore: 60, maxScore: 60 });
  });

  it('simulates proposed rules with their defaults', () => {
    expect(proposedRules([{ name: 'x', position: 0, target: { kind: 'team', team: 'east' } }])).toEqual([
      { id: 'proposed-0', name: 'x', position: 0, match: {}, target: { kind: 'team', team: 'east' }, followUpHours: 72, active: true },
    ]);
  });

  it('refuses a period that ends before it starts, naming `to`, and one with too many leads', () => {
    expect(() => checkSimulationPeriod('2026-02-01', '2026-01-01')).toThrow(
      expect.objectContaining({ kind: 'invalid', fields: [{ field: 'to', message: 'to must be after from' }] }),
    );
    expect(() => checkSimulationPeriod('2026-01-01', '2026-01-01')).toThrow();
    expect(() => checkSimulationPeriod('2026-01-01', '2026-02-01')).not.toThrow();
    expect(() => checkSimulationSize(MAX_SIMULATED_LEADS + 1)).toThrow(expect.objectContaining({ kind: 'invalid', code: 'PERIOD_TOO_LARGE' }));
    expect(() => checkSimulationSize(MAX_SIMULATED_LEADS)).not.toThrow();
  });
});
