import { AuthUser } from './auth-user.types';
import { unauthenticated } from './jwt-claims.util';
import { ALL_ROLES, Role } from './role.enum';

/**
 * Where an identity provider's token keeps what we need. Each is a claim name or a dot path into nested
 * claims (`realm_access.roles`, `crm.team`); a name that itself contains dots (`https://crm.example.com/roles`)
 * is found too, since a literal key is tried before the path is split.
 */
export interface ClaimMapping {
  /** The caller's id (`sub` by default); for a sales rep it must be their rep id. */
  subject: string;
  roles: string;
  team: string;
  /**
   * The provider's role names → ours. When set, it is the whole list: a provider role it does not name is
   * dropped, even one spelled like ours. Unset: the provider's names that equal ours are taken as they are.
   */
  roleMap?: ReadonlyMap<string, readonly Role[]>;
}

export const DEFAULT_CLAIM_MAPPING: ClaimMapping = { subject: 'sub', roles: 'roles', team: 'team' };

/** The value at `path` in `claims`, or undefined. */
export function claimAt(claims: unknown, path: string): unknown {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return undefined;
  const record = claims as Record<string, unknown>;
  if (Object.hasOwn(record, path)) return record[path];
  for (let dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
    const head = path.slice(0, dot);
    if (Object.hasOwn(record, head)) {
      const found = claimAt(record[head], path.slice(dot + 1));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * The caller a provider's verified token describes. A missing roles claim means no roles (the provider
 * assigns none to this user: 403 wherever a role is needed), not a broken token; a claim of the wrong
 * shape is a 401 that names the claim, so whoever configures the provider sees what to fix.
 */
export function authUserFromProviderClaims(claims: Record<string, unknown>, mapping: ClaimMapping): AuthUser {
  const sub = claimAt(claims, mapping.subject);
  if (typeof sub !== 'string' || sub.length === 0) {
    throw unauthenticated(`The token has no subject (claim "${mapping.subject}").`);
  }
  const roles = mapRoles(roleNames(claimAt(claims, mapping.roles), mapping.roles), mapping.roleMap);
  const team = teamOf(claimAt(claims, mapping.team), mapping.team);
  return { sub, roles, ...(team !== undefined && { team }) };
}

/** An array of names, or one string of names separated by spaces or commas (as `scope` is). */
function roleNames(value: unknown, claim: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((name): name is string => typeof name === 'string');
  throw unauthenticated(`The token's roles claim ("${claim}") is neither a list nor a string.`);
}

function mapRoles(names: string[], roleMap: ClaimMapping['roleMap']): Role[] {
  const roles = roleMap ? names.flatMap((name) => roleMap.get(name) ?? []) : names.filter((name): name is Role => ALL_ROLES.includes(name as Role));
  return [...new Set(roles)];
}

/** One team: a string, or a list of exactly one (a `groups` claim of a user in one sales team). */
function teamOf(value: unknown, claim: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const team = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (typeof team === 'string' && team.length > 0) return team;
  if (Array.isArray(value) && value.length === 0) return undefined;
  throw unauthenticated(`The token's team claim ("${claim}") must name one team.`);
}

/**
 * `crm-admin:admin,crm-sales:sales_rep` → provider name → our roles. Returns the map and the entries that
 * are not `name:role` with one of our roles, for the boot to refuse.
 */
export function parseRoleMap(text: string): { map: Map<string, Role[]>; problems: string[] } {
  const map = new Map<string, Role[]>();
  const problems: string[] = [];
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const at = entry.lastIndexOf(':');
    const from = entry.slice(0, at).trim();
    const to = entry.slice(at + 1).trim() as Role;
    if (at <= 0 || !from) problems.push(`"${entry}" is not provider-role:our-role`);
    else if (!ALL_ROLES.includes(to)) problems.push(`"${entry}" maps to an unknown role "${to}" (one of ${ALL_ROLES.join(', ')})`);
    else map.set(from, [...new Set([...(map.get(from) ?? []), to])]);
  }
  return { map, problems };
}
