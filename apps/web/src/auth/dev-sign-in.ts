// The development sign-in (DEV_SIGN_IN=true on the leads service, never in production): the people to pick
// from and a local token for the one picked. Outside the API document on purpose, so plain fetch.
import type { Role, User } from './roles';

export interface DevIdentity {
  id: string;
  name: string;
  email: string;
  team: string | null;
  suggestedRole: Role;
}

export interface DevSession {
  token: string;
  expiresAt: string;
  user: User;
}

async function json<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => ({}))) as T & { detail?: string };
  if (!res.ok) throw new Error(body.detail ?? `HTTP ${res.status}`);
  return body;
}

export async function listDevIdentities(): Promise<{ roles: Role[]; items: DevIdentity[] }> {
  return json(await fetch('/api/v1/dev-sign-in/identities'));
}

export async function devSignIn(userId: string, role: Role): Promise<DevSession> {
  const body = await json<{ token: string; expiresAt: string; user: { sub: string; name: string; roles: Role[]; team?: string } }>(
    await fetch('/api/v1/dev-sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, role }) }),
  );
  return {
    token: body.token,
    expiresAt: body.expiresAt,
    user: { id: body.user.sub, name: body.user.name, roles: body.user.roles, team: body.user.team ?? null },
  };
}
