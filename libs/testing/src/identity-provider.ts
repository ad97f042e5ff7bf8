import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export type ProviderAlgorithm = 'RS256' | 'ES256' | 'PS256';

/** One signing key of the provider: its id and algorithm are what a token's header names. */
export interface ProviderKey {
  kid: string;
  alg: ProviderAlgorithm;
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** The public key as PEM, what an attacker would HMAC an HS256 token with. */
  publicPem: string;
}

export interface ProviderSignOptions {
  alg?: ProviderAlgorithm;
  /** A key of its own, e.g. one taken before `rotate()` (retired). Default: the current key for `alg`. */
  key?: ProviderKey;
  issuer?: string;
  audience?: string | string[];
  /** Seconds from now; negative for an expired token. Default 300. */
  expiresIn?: number;
}

/**
 * A local OpenID Connect provider on 127.0.0.1: a discovery document at
 * `<issuer>/.well-known/openid-configuration` and its key set, one current key per algorithm. `rotate()`
 * publishes new keys and stops publishing the old ones, as a provider does when it retires a key.
 */
export interface TestIdentityProvider {
  issuer: string;
  jwksUrl: string;
  /** How many times the key set was fetched (to see caching and the refetch on an unknown key id). */
  readonly jwksFetches: number;
  current(alg: ProviderAlgorithm): ProviderKey;
  sign(claims: Record<string, unknown>, options?: ProviderSignOptions): Promise<string>;
  rotate(): Promise<void>;
  /**
   * Who the browser sign-in (authorization code with PKCE) signs in, without a login form: the next visit to the
   * authorization endpoint returns a code for these claims (`sub`, roles, team, name …).
   */
  signInAs(claims: Record<string, unknown>): void;
  close(): Promise<void>;
}

const ALGORITHMS: ProviderAlgorithm[] = ['RS256', 'ES256', 'PS256'];

async function newKey(alg: ProviderAlgorithm): Promise<ProviderKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `${alg.toLowerCase()}-${randomUUID()}`;
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }, publicPem: await exportSPKI(publicKey) };
}

const newKeys = async () => new Map(await Promise.all(ALGORITHMS.map(async (alg) => [alg, await newKey(alg)] as const)));

const base64url = (bytes: Buffer) => bytes.toString('base64url');

export async function startTestIdentityProvider(options: { audience: string; realm?: string }): Promise<TestIdentityProvider> {
  let keys = await newKeys();
  let jwksFetches = 0;
  let user: Record<string, unknown> = { sub: randomUUID() };
  /** Codes handed out by the authorization endpoint, until the token endpoint redeems them once. */
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string; nonce?: string; claims: Record<string, unknown> }>();
  const path = `/realms/${options.realm ?? 'crm'}`;
  const server: Server = createServer((req, res) => {
    // A browser app calls discovery, keys and tokens from its own origin: CORS open, as public providers do.
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type, authorization' };
    const send = (body: unknown, status = 200) => res.writeHead(status, { 'content-type': 'application/json', ...cors }).end(JSON.stringify(body));
    const url = new URL(req.url ?? '/', issuer);
    if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
    if (url.pathname === `${path}/.well-known/openid-configuration`) {
      return send({
        issuer,
        jwks_uri: jwksUrl,
        authorization_endpoint: `${issuer}/protocol/openid-connect/auth`,
        token_endpoint: `${issuer}/protocol/openid-connect/token`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ALGORITHMS,
      });
    }
    if (url.pathname === `${path}/protocol/openid-connect/certs`) {
      jwksFetches += 1;
      return send({ keys: [...keys.values()].map((k) => k.publicJwk) });
    }
    if (url.pathname === `${path}/protocol/openid-connect/auth`) {
      const q = url.searchParams;
      if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') || !q.get('redirect_uri')) {
        return send({ error: 'invalid_request' }, 400);
      }
      const code = randomUUID();
      codes.set(code, {
        clientId: q.get('client_id') ?? '',
        redirectUri: q.get('redirect_uri')!,
        challenge: q.get('code_challenge')!,
        nonce: q.get('nonce') ?? undefined,
        claims: user,
      });
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('code', code);
      if (q.get('state')) back.searchParams.set('state', q.get('state')!);
      return res.writeHead(302, { location: back.toString() }).end();
    }
    if (url.pathname === `${path}/protocol/openid-connect/token` && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const pkceOk = grant && base64url(createHash('sha256').update(verifier).digest()) === grant.challenge;
        if (!grant || !pkceOk || form.get('redirect_uri') !== grant.redirectUri || form.get('client_id') !== grant.clientId) {
          return send({ error: 'invalid_grant' }, 400);
        }
        void (async () => {
          const accessToken = await provider.sign(grant.claims, { expiresIn: 3600 });
          const idToken = await provider.sign({ ...grant.claims, ...(grant.nonce && { nonce: grant.nonce }) }, { audience: grant.clientId, expiresIn: 3600 });
          send({ access_token: accessToken, id_token: idToken, token_type: 'Bearer', expires_in: 3600, scope: form.get('scope') ?? 'openid' });
        })();
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  const jwksUrl = `${issuer}/protocol/openid-connect/certs`;

  const provider: TestIdentityProvider = {
    issuer,
    jwksUrl,
    get jwksFetches() {
      return jwksFetches;
    },
    current: (alg) => keys.get(alg)!,
    async sign(claims, { alg = 'RS256', key = keys.get(alg)!, issuer: iss = issuer, audience = options.audience, expiresIn = 300 } = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
        .setIssuer(iss)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(now + expiresIn)
        .sign(key.privateKey);
    },
    async rotate() {
      keys = await newKeys();
    },
    signInAs(claims) {
      user = claims;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return provider;
}
