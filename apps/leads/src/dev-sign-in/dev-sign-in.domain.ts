import { Role } from '@crm/http';

/** The admin a local token names (the same fixed id `npm run token` and `npm start` use). */
export const LOCAL_ADMIN_ID = '00000000-0000-4000-8000-000000000001';

/** Roles a person may sign in with on a developer's machine: everything but the machine-to-machine role. */
export const SIGN_IN_ROLES: readonly Role[] = [Role.SalesRep, Role.SalesManager, Role.Admin, Role.ProductTeam, Role.Finance];

export interface Person {
  id: string;
  name: string;
  email: string;
  team: string | null;
  managerId: string | null;
  capacity: number;
  active: boolean;
}

export interface Identity {
  id: string;
  name: string;
  email: string;
  team: string | null;
  /** What this person most likely is: a manager of other reps (or a rep who takes no leads), else a rep. */
  suggestedRole: Role;
}

/** The people a developer may sign in as: every active rep, managers first, then by team and name, and the local admin. */
export function identitiesOf(people: Person[]): Identity[] {
  const managers = new Set(people.map((p) => p.managerId).filter((id): id is string => id !== null));
  const identities = people
    .filter((p) => p.active)
    .map((p) => ({
      id: p.id,
      name: p.name,
      email: p.email,
      team: p.team,
      suggestedRole: managers.has(p.id) || p.capacity === 0 ? Role.SalesManager : Role.SalesRep,
    }))
    .sort((a, b) => rank(a) - rank(b) || (a.team ?? '').localeCompare(b.team ?? '') || a.name.localeCompare(b.name));
  return [...identities, { id: LOCAL_ADMIN_ID, name: 'Administrator', email: 'admin@localhost', team: null, suggestedRole: Role.Admin }];
}

const rank = (i: Identity) => (i.suggestedRole === Role.SalesManager ? 0 : 1);
