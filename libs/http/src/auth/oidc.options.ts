import { type ClaimMapping, DEFAULT_CLAIM_MAPPING, parseRoleMap } from './claim-mapping';

/** An OpenID Connect provider whose tokens are accepted (docs/decisions/0021-single-sign-on.md). */
export interface OidcOptions {
  /** The provider's issuer (`iss`), exactly as its discovery document states it. */
  issuer: string;
  /** Accepted `aud` values: a token must name at least one. */
  audience: string[];
  /** Its JSON Web Key Set. Unset: `jwks_uri` of `<issuer>/.well-known/openid-configuration`, read once. */
  jwksUrl?: string;
  claims: ClaimMapping;
  /** Leeway for `exp` and `nbf` against clocks that drift. Default 30 s. */
  clockToleranceSeconds?: number;
  /**
   * After a key set is fetched, how long a token with an unknown key id must wait before it may cause
   * another fetch (default 30 s): a rotated key is picked up at once, a flood of forged ids costs one
   * fetch per cooldown.
   */
  jwksCooldownSeconds?: number;
}

export const OIDC_ALGORITHMS = ['RS256', 'ES256', 'PS256'] as const;
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
export const MAX_CLOCK_TOLERANCE_SECONDS = 300;
export const DEFAULT_JWKS_COOLDOWN_SECONDS = 30;

type Env = Record<string, string | undefined>;

/**
 * The OIDC_* variables, read where the platform reads its others. Every problem is named by its variable;
 * none set means no provider (local HS256 tokens only). An http:// issuer or key set URL is refused in
 * production: keys fetched in the clear could be swapped by anyone on the path.
 */
export function oidcOptionsFromEnv(env: Env, production: boolean): { oidc?: OidcOptions; problems: string[] } {
  const get = (name: string) => env[name]?.trim() || undefined;
  const problems: string[] = [];
  const issuer = get('OIDC_ISSUER');
  if (!issuer) {
    const stray = Object.keys(env).filter((name) => name.startsWith('OIDC_') && get(name));
    if (stray.length) problems.push(`OIDC_ISSUER: required when ${stray.sort().join(', ')} ${stray.length > 1 ? 'are' : 'is'} set`);
    return { problems };
  }
  checkUrl('OIDC_ISSUER', issuer, production, problems);
  const jwksUrl = get('OIDC_JWKS_URL');
  if (jwksUrl) checkUrl('OIDC_JWKS_URL', jwksUrl, production, problems);
  const audience = (get('OIDC_AUDIENCE') ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (!audience.length) problems.push("OIDC_AUDIENCE: required with OIDC_ISSUER (the API's audience, e.g. its client id)");

  const claims: ClaimMapping = {
    subject: claimPath('OIDC_SUBJECT_CLAIM', get('OIDC_SUBJECT_CLAIM') ?? DEFAULT_CLAIM_MAPPING.subject, problems),
    roles: claimPath('OIDC_ROLES_CLAIM', get('OIDC_ROLES_CLAIM') ?? DEFAULT_CLAIM_MAPPING.roles, problems),
    team: claimPath('OIDC_TEAM_CLAIM', get('OIDC_TEAM_CLAIM') ?? DEFAULT_CLAIM_MAPPING.team, problems),
  };
  const roleMapText = get('OIDC_ROLE_MAP');
  if (roleMapText) {
    const { map, problems: mapProblems } = parseRoleMap(roleMapText);
    problems.push(...mapProblems.map((p) => `OIDC_ROLE_MAP: ${p}`));
    claims.roleMap = map;
  }
  const clockToleranceSeconds = seconds(
    'OIDC_CLOCK_TOLERANCE_SECONDS',
    get('OIDC_CLOCK_TOLERANCE_SECONDS'),
    DEFAULT_CLOCK_TOLERANCE_SECONDS,
    MAX_CLOCK_TOLERANCE_SECONDS,
    problems,
  );
  const jwksCooldownSeconds = seconds('OIDC_JWKS_COOLDOWN_SECONDS', get('OIDC_JWKS_COOLDOWN_SECONDS'), DEFAULT_JWKS_COOLDOWN_SECONDS, 3600, problems);
  return { oidc: { issuer, audience, ...(jwksUrl && { jwksUrl }), claims, clockToleranceSeconds, jwksCooldownSeconds }, problems };
}

/** The same checks for options given in code; returns the problems (empty = fine). */
export function oidcOptionsProblems(oidc: OidcOptions): string[] {
  const problems: string[] = [];
  checkUrl('oidc.issuer', oidc.issuer, false, problems);
  if (oidc.jwksUrl !== undefined) checkUrl('oidc.jwksUrl', oidc.jwksUrl, false, problems);
  if (!Array.isArray(oidc.audience) || !oidc.audience.length || oidc.audience.some((a) => typeof a !== 'string' || !a)) {
    problems.push('oidc.audience: at least one non-empty audience is required');
  }
  for (const name of ['subject', 'roles', 'team'] as const) claimPath(`oidc.claims.${name}`, oidc.claims?.[name], problems);
  const tolerance = oidc.clockToleranceSeconds;
  if (tolerance !== undefined && !(Number.isInteger(tolerance) && tolerance >= 0 && tolerance <= MAX_CLOCK_TOLERANCE_SECONDS)) {
    problems.push(`oidc.clockToleranceSeconds: a whole number of seconds from 0 to ${MAX_CLOCK_TOLERANCE_SECONDS}`);
  }
  const cooldown = oidc.jwksCooldownSeconds;
  if (cooldown !== undefined && !(Number.isInteger(cooldown) && cooldown >= 0)) problems.push('oidc.jwksCooldownSeconds: a whole number of seconds, 0 or more');
  return problems;
}

function checkUrl(name: string, value: string, production: boolean, problems: string[]): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${name}: not a URL ("${value}")`);
    return;
  }
  if (url.protocol === 'https:') return;
  if (url.protocol !== 'http:') problems.push(`${name}: must be an https:// URL`);
  else if (production) problems.push(`${name}: must be https:// in production (keys fetched over http could be swapped in transit)`);
}

function claimPath(name: string, value: unknown, problems: string[]): string {
  if (typeof value !== 'string' || !value || value.startsWith('.') || value.endsWith('.') || value.includes('..')) {
    problems.push(`${name}: a claim name or dot path such as realm_access.roles`);
  }
  return String(value);
}

function seconds(name: string, text: string | undefined, fallback: number, max: number, problems: string[]): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > max) problems.push(`${name}: a whole number of seconds from 0 to ${max}`);
  return value;
}
