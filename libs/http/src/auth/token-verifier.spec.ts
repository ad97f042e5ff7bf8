import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { ProblemException } from '../problem/problem.exception';
import { DEFAULT_CLAIM_MAPPING } from './claim-mapping';
import { TokenVerifier } from './token-verifier';

const SECRET = 'a-local-secret-of-at-least-32-characters';
// Nothing listens on port 1: the provider's keys cannot be fetched.
const ISSUER = 'http://127.0.0.1:1/realms/crm';
const oidc = { issuer: ISSUER, audience: ['crm-api'], claims: DEFAULT_CLAIM_MAPPING };
const claims = { sub: 'u-1', roles: ['admin'] };
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function refusal(run: () => unknown): Promise<{ status: number; code: string; detail: string }> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    return { status: error.getStatus(), code: error.code, detail: error.detail };
  }
  throw new Error('the token was accepted');
}

// One provider key for the whole file: RSA key generation is slow.
const providerKey = generateKeyPair('RS256', { extractable: true });

async function rs256(payload: object): Promise<string> {
  const { privateKey } = await providerKey;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...payload })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setAudience('crm-api')
    .setExpirationTime(now + 60)
    .sign(privateKey);
}

describe('TokenVerifier', () => {
  const localToken = new JwtService({ secret: SECRET }).sign(claims, { expiresIn: 60 });

  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('checks a local HS256 token synchronously, with or without a provider', () => {
    for (const verifier of [new TokenVerifier({ jwtSecret: SECRET }), new TokenVerifier({ jwtSecret: SECRET, oidc })]) {
      expect(verifier.verify(localToken)).toEqual({ sub: 'u-1', roles: ['admin'] });
    }
  });

  it('refuses an unsigned alg:none token, saying so', async () => {
    const unsigned = `${b64({ alg: 'none' })}.${b64({ ...claims, iss: ISSUER, exp: Math.floor(Date.now() / 1000) + 60 })}.`;
    expect(await refusal(() => new TokenVerifier({ jwtSecret: SECRET, oidc }).verify(unsigned))).toMatchObject({
      status: 401,
      detail: 'An unsigned token (alg "none") is never accepted.',
    });
  });

  it("refuses an HS256 token signed with the provider's public key (algorithm confusion), naming the algorithms it needs", async () => {
    const { publicKey } = await providerKey;
    const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ ...claims, iss: ISSUER, aud: 'crm-api', exp: Math.floor(Date.now() / 1000) + 60 })}`;
    const forged = `${head}.${createHmac('sha256', await exportSPKI(publicKey))
      .update(head)
      .digest('base64url')}`;
    expect(await refusal(() => new TokenVerifier({ jwtSecret: SECRET, oidc }).verify(forged))).toMatchObject({
      status: 401,
      detail: 'Tokens of the identity provider must be signed with RS256, ES256, PS256.',
    });
    // Without a local secret there is no HS256 verifier at all.
    expect((await refusal(() => new TokenVerifier({ oidc }).verify(forged))).detail).toBe(
      "The token's signing algorithm is not accepted; accepted: RS256, ES256, PS256 (identity provider).",
    );
  });

  it('refuses a provider-signed token when no provider is configured', async () => {
    const token = await rs256({ ...claims, iss: ISSUER });
    expect((await refusal(() => new TokenVerifier({ jwtSecret: SECRET }).verify(token))).detail).toBe(
      "The token's signing algorithm is not accepted; accepted: HS256 (local tokens).",
    );
  });

  it('refuses a token from another issuer before fetching any key', async () => {
    const token = await rs256({ ...claims, iss: 'https://elsewhere.example.com' });
    expect(await refusal(() => new TokenVerifier({ jwtSecret: SECRET, oidc }).verify(token))).toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
      detail: "The token's issuer is not trusted here.",
    });
  });

  it('answers 503 when the provider cannot be reached for its keys: the token may be fine', async () => {
    const token = await rs256({ ...claims, iss: ISSUER });
    expect(await refusal(() => new TokenVerifier({ oidc }).verify(token))).toEqual({
      status: 503,
      code: 'IDENTITY_PROVIDER_UNAVAILABLE',
      detail: "The identity provider's signing keys could not be fetched; retry later.",
    });
  });

  it('does not trust a discovery document that names another issuer (OIDC Discovery §4.3): 503, and the log says why', async () => {
    const server = createServer((_req, res) => res.end(JSON.stringify({ issuer: 'https://impostor.example', jwks_uri: 'http://127.0.0.1:1/keys' })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/crm`;
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const token = await rs256({ ...claims, iss: issuer });
      expect((await refusal(() => new TokenVerifier({ oidc: { ...oidc, issuer } }).verify(token))).status).toBe(503);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('names another issuer (https://impostor.example)'));
    } finally {
      server.close();
    }
  });

  it('refuses what is not a JWT at all', async () => {
    expect((await refusal(() => new TokenVerifier({ jwtSecret: SECRET }).verify('not-a-token'))).detail).toBe('The token is invalid.');
  });
});
