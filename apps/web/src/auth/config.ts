// How this installation signs people in, read at start from /config.json (the gateway writes it from its
// environment): a development sign-in on a developer's machine, the OpenID Connect provider everywhere else.

export interface OidcSettings {
  /** The provider's issuer URL (its discovery document is at /.well-known/openid-configuration). */
  authority: string;
  clientId: string;
  scope: string;
  /** Where the access token carries roles and team (dot paths, as the services' OIDC_ROLES_CLAIM / OIDC_TEAM_CLAIM). */
  rolesClaim: string;
  teamClaim: string;
  nameClaim: string;
  /** The provider's role names to the CRM's (`{"crm-sales": ["sales_rep"]}`), as the services' OIDC_ROLE_MAP. */
  roleMap?: Record<string, string[]>;
}

/** Where the identity provider sends the browser back after sign-in. */
export const CALLBACK_PATH = '/auth/callback';

export type ConsoleConfig = { signIn: 'dev' } | { signIn: 'oidc'; oidc: OidcSettings };

const OIDC_DEFAULTS = { scope: 'openid profile email', rolesClaim: 'roles', teamClaim: 'team', nameClaim: 'name' };

/** `crm-sales:sales_rep,crm-lead:sales_manager` (the services' OIDC_ROLE_MAP) as a map; a role may come from several. */
export function parseRoleMapText(text: string): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const entry of text.split(',').map((e) => e.trim())) {
    const at = entry.lastIndexOf(':');
    if (at > 0) (map[entry.slice(0, at).trim()] ??= []).push(entry.slice(at + 1).trim());
  }
  return map;
}

/**
 * Checks what /config.json holds; anything unusable is an error the sign-in page shows (never a silent default).
 * Empty values count as unset: a deployment's template leaves unset variables empty.
 */
export function parseConsoleConfig(raw: unknown): ConsoleConfig {
  const value = (raw ?? {}) as { signIn?: unknown; oidc?: Partial<OidcSettings> & { roleMapText?: string } };
  if (value.signIn === 'dev') return { signIn: 'dev' };
  if (value.signIn === 'oidc') {
    const { roleMapText, ...given } = Object.fromEntries(
      Object.entries(value.oidc ?? {}).filter(([, v]) => v !== '' && v !== null),
    ) as Partial<OidcSettings> & {
      roleMapText?: string;
    };
    const { authority, clientId } = given;
    if (typeof authority !== 'string' || typeof clientId !== 'string') {
      throw new Error('config.json: signIn "oidc" needs oidc.authority and oidc.clientId');
    }
    return { signIn: 'oidc', oidc: { ...OIDC_DEFAULTS, ...given, authority, clientId, ...(roleMapText && { roleMap: parseRoleMapText(roleMapText) }) } };
  }
  throw new Error(`config.json: signIn must be "dev" or "oidc", not ${JSON.stringify(value.signIn)}`);
}

export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  return parseConsoleConfig(await res.json());
}

/** A claim at a dot path (`realm_access.roles`), as the services read it. */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), claims);
}

/** The payload of a JWT, for display only (the services verify the signature). */
export function jwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) return {};
  const json = atob(
    part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '='),
  );
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
}
