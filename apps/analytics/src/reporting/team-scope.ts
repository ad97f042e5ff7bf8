import { DomainError } from '@crm/domain';
import { accessScope, type AccessScope, type AuthUser } from '@crm/http';

/**
 * The caller's scope narrowed to one team (the dashboards' `team` filter). An admin may name any team; a
 * manager only their own (another team is refused, not answered empty, so a wrong filter is not read as "no
 * sales"); a rep keeps their own rows, and may name only their own team.
 */
export function teamScope(scope: AccessScope, team: string | undefined, userTeam?: string): AccessScope {
  if (team === undefined) return scope;
  if (scope.kind === 'all') return { kind: 'team', team };
  if (scope.kind === 'team' && scope.team === team) return scope;
  if (scope.kind === 'own' && userTeam === team) return scope;
  throw DomainError.forbidden(`You can read the figures of your own team only, not of team ${team}.`, 'TEAM_NOT_YOURS');
}

/** `teamScope` for a caller: their access scope narrowed to the team asked for. */
export const userTeamScope = (user: AuthUser, team: string | undefined): AccessScope => teamScope(accessScope(user), team, user.team);
