import { Role } from './role.enum';

/** The caller, as the verified token describes them; `sub` is the rep id for a sales rep. */
export interface AuthUser {
  sub: string;
  roles: Role[];
  team?: string;
}

/** What `@CurrentUser()` reads and `JwtAuthGuard` writes. */
export interface AuthenticatedRequest {
  user?: AuthUser;
  headers: Record<string, string | string[] | undefined>;
}
