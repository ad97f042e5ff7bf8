/**
 * `npm run token -- [--role admin|sales_manager|sales_rep|integration|product_team|finance] [--sub <id>] [--team <team>] [--hours <n>]`
 * prints a bearer token signed with the JWT secret the services use here (JWT_SECRET, else the local
 * development default), for curl and the /docs "Authorize" button. Local use only: production tokens come
 * from the identity provider (OIDC_ISSUER, docs/integration-guide.md#single-sign-on).
 */
import { parseArgs } from 'node:util';
import { JwtService } from '@nestjs/jwt';
import { ALL_ROLES, type Role } from '@crm/http';
import { loadServiceConfig } from '@crm/platform';

/** The admin `npm start` prints; a fixed id so its audit trail is recognisable. */
export const LOCAL_ADMIN_ID = '00000000-0000-4000-8000-000000000001';

export function signLocalToken(claims: { sub: string; roles: Role[]; team?: string }, hours = 12): string {
  const { jwtSecret } = loadServiceConfig('leads');
  if (!jwtSecret) throw new Error('token: JWT_SECRET is unset, so the services accept only the identity provider’s tokens (OIDC_ISSUER)');
  return new JwtService({ secret: jwtSecret }).sign({ ...claims }, { expiresIn: `${hours}h`, algorithm: 'HS256' });
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'admin' },
      sub: { type: 'string', default: LOCAL_ADMIN_ID },
      team: { type: 'string' },
      hours: { type: 'string', default: '12' },
    },
  });
  const role = values.role as Role;
  if (!ALL_ROLES.includes(role)) {
    console.error(`token: unknown role '${values.role}' (one of ${ALL_ROLES.join(', ')})`);
    process.exit(2);
  }
  const hours = Number(values.hours);
  if (!Number.isFinite(hours) || hours <= 0) {
    console.error('token: --hours must be a positive number');
    process.exit(2);
  }
  try {
    console.log(signLocalToken({ sub: values.sub, roles: [role], ...(values.team && { team: values.team }) }, hours));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}
