import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AuthUser } from './auth-user.types';
import { forbidden } from './jwt-claims.util';
import { Role } from './role.enum';

/** Which records a caller may see or change; services turn it into a WHERE clause. */
export type AccessScope = { kind: 'all' } | { kind: 'team'; team: string } | { kind: 'own'; repId: string };

/**
 * The widest scope any of the caller's roles grants. A manager whose token names no team falls back to
 * their own records rather than to everything: a misissued token must fail closed.
 */
export function accessScope(user: AuthUser): AccessScope {
  const has = (role: Role) => user.roles.includes(role);
  if (has(Role.Admin) || has(Role.Integration)) return { kind: 'all' };
  if (has(Role.SalesManager) && user.team) return { kind: 'team', team: user.team };
  if (has(Role.SalesManager) || has(Role.SalesRep)) return { kind: 'own', repId: user.sub };
  throw forbidden('The token grants no access to sales records.');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Narrows a query to the records the caller may see (`accessScope`). `rep` is the owner column; `team` the
 * team column, or a whole condition that uses `:scopeTeam`. Rep ids are uuids everywhere (the contracts'
 * `Id`), so a token whose `sub` is not one owns nothing: it gets no rows rather than a uuid cast error.
 */
export function restrictToScope<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  user: AuthUser,
  columns: { rep: string; team: string },
): SelectQueryBuilder<T> {
  const scope = accessScope(user);
  if (scope.kind === 'own') {
    return UUID.test(scope.repId) ? qb.andWhere(`${columns.rep} = :scopeRep`, { scopeRep: scope.repId }) : qb.andWhere('1 = 0');
  }
  if (scope.kind === 'team') {
    const condition = columns.team.includes(':scopeTeam') ? columns.team : `${columns.team} = :scopeTeam`;
    return qb.andWhere(condition, { scopeTeam: scope.team });
  }
  return qb;
}
