import { createHmac, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { startTestIdentityProvider, startTestService, type TestIdentityProvider, type TestService } from '@crm/testing';
import { AppModule } from './app.module';
import { leadsSettings } from './leads.settings';

const AUDIENCE = 'crm-api';
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

// Issue 19, single sign-on: the leads service, configured by OIDC_* as in production (the key set found
// through discovery), takes a local OpenID Connect provider's tokens while it rotates its keys.
describe('single sign-on: tokens of an OpenID Connect provider (leads in-process, local provider)', () => {
  let idp: TestIdentityProvider;
  let svc: TestService;
  const get = (path: string, token: string) => request(svc.app.getHttpServer()).get(path).set('authorization', `Bearer ${token}`);
  const admin = { sub: randomUUID(), realm_access: { roles: ['crm-admin', 'offline_access'] } };

  beforeAll(async () => {
    idp = await startTestIdentityProvider({ audience: AUDIENCE });
    svc = await startTestService('leads', (config) => AppModule.forRoot(config), {
      settings: leadsSettings,
      env: {
        OIDC_ISSUER: idp.issuer,
        OIDC_AUDIENCE: `${AUDIENCE},account`,
        OIDC_ROLES_CLAIM: 'realm_access.roles',
        OIDC_TEAM_CLAIM: 'crm.team',
        OIDC_ROLE_MAP: 'crm-admin:admin,crm-manager:sales_manager,crm-sales:sales_rep',
        // No wait between a rotation and the refetch it needs; production keeps the 30 s default.
        OIDC_JWKS_COOLDOWN_SECONDS: '0',
      },
    });
  });
  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await svc?.close();
    await idp?.close();
  });

  it('accepts RS256, ES256 and PS256 tokens signed with the current keys, fetching the key set once', async () => {
    for (const alg of ['RS256', 'ES256', 'PS256'] as const) {
      await get('/api/v1/reps', await idp.sign(admin, { alg })).expect(200);
    }
    await get('/api/v1/reps', await idp.sign(admin)).expect(200);
    expect(idp.jwksFetches).toBe(1);
  });

  it('reads roles and team from nested claims through the role map', async () => {
    const manager = await idp.sign({ sub: randomUUID(), realm_access: { roles: ['crm-manager'] }, crm: { team: 'north' } });
    const rep = (team: string) => ({ name: `Rep ${team}`, email: `${randomUUID()}@sso.example`, team, capacity: 5 });
    const ok = await request(svc.app.getHttpServer()).post('/api/v1/reps').set('authorization', `Bearer ${manager}`).send(rep('north'));
    expect(ok.status).toBe(201);
    // The team came from crm.team: another team's rep is not this manager's to create.
    const other = await request(svc.app.getHttpServer()).post('/api/v1/reps').set('authorization', `Bearer ${manager}`).send(rep('south'));
    expect(other.status).toBe(403);
    // The map is the whole list: "admin" spelled like our role but not mapped grants nothing.
    const unmapped = await get('/api/v1/reps', await idp.sign({ sub: randomUUID(), realm_access: { roles: ['admin'] } }));
    expect(unmapped.status).toBe(403);
  });

  it('after a key rotation accepts the new keys at once and refuses tokens of the retired ones', async () => {
    const retired = { RS256: idp.current('RS256'), ES256: idp.current('ES256') };
    const fetchesBefore = idp.jwksFetches;
    await idp.rotate();
    for (const alg of ['RS256', 'ES256'] as const) await get('/api/v1/reps', await idp.sign(admin, { alg })).expect(200);
    expect(idp.jwksFetches).toBeGreaterThan(fetchesBefore);

    for (const key of Object.values(retired)) {
      const res = await get('/api/v1/reps', await idp.sign(admin, { key }));
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: expect.stringMatching(/key the identity provider does not publish/) });
      expect(JSON.stringify(res.body)).not.toContain(key.kid);
    }
  });

  const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
  it.each([
    ['an unknown issuer', {}, { issuer: 'https://sso.elsewhere.example/realms/crm' }, "The token's issuer is not trusted here."],
    ['a wrong audience', {}, { audience: 'another-api' }, 'The token is not meant for this API (its audience does not match).'],
    ['an expired token', {}, { expiresIn: -120 }, 'The token has expired.'],
    ['a token not valid yet', { nbf: inAnHour() }, {}, 'The token is not valid yet.'],
  ])('refuses %s with a 401 that says so', async (_case, extra, options, detail) => {
    const res = await get('/api/v1/reps', await idp.sign({ ...admin, ...extra }, options));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', detail });
  });

  it("refuses alg:none and an HS256 token signed with the provider's public key", async () => {
    const claims = { ...admin, iss: idp.issuer, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300 };
    const unsigned = await get('/api/v1/reps', `${b64({ alg: 'none' })}.${b64(claims)}.`);
    expect(unsigned.status).toBe(401);
    const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
    const confused = `${head}.${createHmac('sha256', idp.current('RS256').publicPem).update(head).digest('base64url')}`;
    const res = await get('/api/v1/reps', confused);
    expect(res.status).toBe(401);
    expect(res.body.detail).toBe('Tokens of the identity provider must be signed with RS256, ES256, PS256.');
  });

  it('still accepts local HS256 tokens (development and tests) beside the provider', async () => {
    await svc
      .as({ sub: randomUUID(), roles: ['admin'] })
      .get('/api/v1/reps')
      .expect(200);
  });
});
