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
