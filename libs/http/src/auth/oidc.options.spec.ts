import { assertApiConventionsOptions } from '../api-conventions.options';
import { DEFAULT_CLAIM_MAPPING } from './claim-mapping';
import { oidcOptionsFromEnv } from './oidc.options';
import { Role } from './role.enum';

const ISSUER = 'https://sso.example.com/realms/crm';

describe('oidcOptionsFromEnv', () => {
  it('configures no provider when no OIDC_* variable is set', () => {
    expect(oidcOptionsFromEnv({ JWT_SECRET: 'x' }, false)).toEqual({ problems: [] });
  });

  it('reads the provider with its defaults: sub, roles and team claims, 30 s tolerance and cooldown, key set by discovery', () => {
    expect(oidcOptionsFromEnv({ OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: 'crm-api' }, true)).toEqual({
      oidc: { issuer: ISSUER, audience: ['crm-api'], claims: DEFAULT_CLAIM_MAPPING, clockToleranceSeconds: 30, jwksCooldownSeconds: 30 },
      problems: [],
    });
  });

  it('reads every setting', () => {
    const { oidc, problems } = oidcOptionsFromEnv(
      {
        OIDC_ISSUER: ISSUER,
        OIDC_AUDIENCE: 'crm-api, account',
        OIDC_JWKS_URL: `${ISSUER}/protocol/openid-connect/certs`,
        OIDC_SUBJECT_CLAIM: 'oid',
        OIDC_ROLES_CLAIM: 'realm_access.roles',
        OIDC_TEAM_CLAIM: 'crm.team',
        OIDC_ROLE_MAP: 'crm-admin:admin,crm-sales:sales_rep',
        OIDC_CLOCK_TOLERANCE_SECONDS: '5',
        OIDC_JWKS_COOLDOWN_SECONDS: '0',
      },
      true,
    );
    expect(problems).toEqual([]);
    expect(oidc).toMatchObject({
      audience: ['crm-api', 'account'],
      jwksUrl: `${ISSUER}/protocol/openid-connect/certs`,
      claims: { subject: 'oid', roles: 'realm_access.roles', team: 'crm.team' },
      clockToleranceSeconds: 5,
      jwksCooldownSeconds: 0,
    });
    expect(oidc?.claims.roleMap?.get('crm-sales')).toEqual([Role.SalesRep]);
  });

  it('names each bad variable', () => {
    const { problems } = oidcOptionsFromEnv(
      {
        OIDC_ISSUER: 'sso.example.com',
        OIDC_JWKS_URL: 'ftp://keys',
        OIDC_ROLES_CLAIM: 'realm_access..roles',
        OIDC_ROLE_MAP: 'crm-admin:root',
        OIDC_CLOCK_TOLERANCE_SECONDS: '3600',
        OIDC_JWKS_COOLDOWN_SECONDS: '-1',
      },
      false,
    );
    expect(problems).toEqual([
      'OIDC_ISSUER: not a URL ("sso.example.com")',
      'OIDC_JWKS_URL: must be an https:// URL',
      "OIDC_AUDIENCE: required with OIDC_ISSUER (the API's audience, e.g. its client id)",
      'OIDC_ROLES_CLAIM: a claim name or dot path such as realm_access.roles',
      expect.stringMatching(/^OIDC_ROLE_MAP: "crm-admin:root" maps to an unknown role "root"/),
      'OIDC_CLOCK_TOLERANCE_SECONDS: a whole number of seconds from 0 to 300',
      'OIDC_JWKS_COOLDOWN_SECONDS: a whole number of seconds from 0 to 3600',
    ]);
  });

  it('takes an http:// provider on a developer machine, never in production', () => {
    const env = { OIDC_ISSUER: 'http://127.0.0.1:8080/realms/crm', OIDC_AUDIENCE: 'crm-api' };
    expect(oidcOptionsFromEnv(env, false).problems).toEqual([]);
    expect(oidcOptionsFromEnv(env, true).problems).toEqual([expect.stringMatching(/^OIDC_ISSUER: must be https:\/\/ in production/)]);
  });

  it('refuses OIDC settings without an issuer rather than ignoring them', () => {
    expect(oidcOptionsFromEnv({ OIDC_AUDIENCE: 'crm-api', OIDC_ROLE_MAP: 'a:admin', OIDC_TEAM_CLAIM: '' }, false).problems).toEqual([
      'OIDC_ISSUER: required when OIDC_AUDIENCE, OIDC_ROLE_MAP are set',
    ]);
  });
});

describe('assertApiConventionsOptions with a provider', () => {
  const oidc = { issuer: ISSUER, audience: ['crm-api'], claims: DEFAULT_CLAIM_MAPPING };

  it('needs no local secret when a provider is configured', () => {
    expect(() => assertApiConventionsOptions({ oidc })).not.toThrow();
  });

  it('fails at boot on a provider given in code with bad options', () => {
    expect(() => assertApiConventionsOptions({ oidc: { ...oidc, audience: [] } })).toThrow(/oidc.audience/);
    expect(() => assertApiConventionsOptions({ oidc: { ...oidc, clockToleranceSeconds: 3600 } })).toThrow(/oidc.clockToleranceSeconds/);
  });
});
