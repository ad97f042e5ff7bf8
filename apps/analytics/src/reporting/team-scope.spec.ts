import { DomainError } from '@crm/domain';
import { Params, scopeFilter } from './report.queries';
import { teamScope } from './team-scope';

describe('the team filter of the dashboards', () => {
  it('without a team keeps the caller scope', () => {
    expect(teamScope({ kind: 'all' }, undefined)).toEqual({ kind: 'all' });
    expect(teamScope({ kind: 'team', team: 'east' }, undefined)).toEqual({ kind: 'team', team: 'east' });
  });

  it('narrows an admin to the team named, which the SQL then filters on', () => {
    const scope = teamScope({ kind: 'all' }, 'south');
    expect(scope).toEqual({ kind: 'team', team: 'south' });
    const p = new Params();
    expect(scopeFilter(scope, p)).toBe(' AND team = $1');
    expect(p.values).toEqual(['south']);
  });

  it('lets a manager name their own team and refuses another one', () => {
    expect(teamScope({ kind: 'team', team: 'east' }, 'east')).toEqual({ kind: 'team', team: 'east' });
    expect(() => teamScope({ kind: 'team', team: 'east' }, 'south')).toThrow(DomainError);
    try {
      teamScope({ kind: 'team', team: 'east' }, 'south');
    } catch (e) {
      expect((e as DomainError).kind).toBe('forbidden');
    }
  });

  it('keeps a rep to their own rows, within their own team only', () => {
    expect(teamScope({ kind: 'own', repId: 'r1' }, 'east', 'east')).toEqual({ kind: 'own', repId: 'r1' });
    expect(() => teamScope({ kind: 'own', repId: 'r1' }, 'south', 'east')).toThrow(DomainError);
  });
});
