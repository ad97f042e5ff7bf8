// Single sign-on: the authorization code flow with PKCE (oidc-client-ts), tokens kept in sessionStorage, renewed
// silently before they expire. Roles and team come from the access token at the claim paths the services read.
import { UserManager, WebStorageStateStore, type User as OidcUser } from 'oidc-client-ts';
import { CALLBACK_PATH, claimAt, jwtPayload, type OidcSettings } from './config';
import type { Role, User } from './roles';

export function createUserManager(settings: OidcSettings): UserManager {
  return new UserManager({
    authority: settings.authority,
    client_id: settings.clientId,
    scope: settings.scope,
    redirect_uri: `${window.location.origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${window.location.origin}/`,
    response_type: 'code',
    automaticSilentRenew: true,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

/** Who the provider's tokens say this is. */
export function userOf(oidcUser: OidcUser, settings: OidcSettings): User {
  const claims = { ...oidcUser.profile, ...jwtPayload(oidcUser.access_token) } as Record<string, unknown>;
  const roles = claimAt(claims, settings.rolesClaim);
  const team = claimAt(claims, settings.teamClaim);
  const name = claimAt(claims, settings.nameClaim) ?? oidcUser.profile.preferred_username ?? oidcUser.profile.sub;
  return {
    id: oidcUser.profile.sub,
    name: String(name),
    roles: (Array.isArray(roles) ? roles : typeof roles === 'string' ? [roles] : []).flatMap((r) => settings.roleMap?.[String(r)] ?? [String(r)]) as Role[],
    team: typeof team === 'string' ? team : null,
  };
}
