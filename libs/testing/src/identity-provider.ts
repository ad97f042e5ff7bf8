import { randomUUID } from 'node:crypto';
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
  close(): Promise<void>;
}

const ALGORITHMS: ProviderAlgorithm[] = ['RS256', 'ES256', 'PS256'];

async function newKey(alg: ProviderAlgorithm): Promise<ProviderKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `${alg.toLowerCase()}-${randomUUID()}`;
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }, publicPem: await exportSPKI(publicKey) };
}

const newKeys = async () => new Map(await Promise.all(ALGORITHMS.map(async (alg) => [alg, await newKey(alg)] as const)));

export async function startTestIdentityProvider(options: { audience: string; realm?: string }): Promise<TestIdentityProvider> {
  let keys = await newKeys();
  let jwksFetches = 0;
  const path = `/realms/${options.realm ?? 'crm'}`;
  const server: Server = createServer((req, res) => {
    const send = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === `${path}/.well-known/openid-configuration`) return send({ issuer, jwks_uri: jwksUrl, id_token_signing_alg_values_supported: ALGORITHMS });
    if (req.url === `${path}/protocol/openid-connect/certs`) {
      jwksFetches += 1;
      return send({ keys: [...keys.values()].map((k) => k.publicJwk) });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  const jwksUrl = `${issuer}/protocol/openid-connect/certs`;

  return {
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
