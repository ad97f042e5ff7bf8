// The gateway of a developer machine (npm start, tests): its settings from the environment, its files in the run dir.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ServiceName } from '@crm/contracts';
import { DEFAULT_JSON_BODY_LIMIT, parseByteSize, parseRoleMap } from '@crm/http';
import { DEFAULT_PORTS } from '@crm/platform';
import type { ConsoleSite, GatewayConfig } from './nginx-conf';

export const ROOT = resolve(__dirname, '..', '..');
export const DEFAULT_GATEWAY_PORT = 8080;
/** A CSV import is not JSON: it streams up to 10,000 rows, which the leads service counts itself. */
export const UPLOAD_BODY_LIMIT = 20 * 1024 * 1024;

type Env = Record<string, string | undefined>;

/** The console's local origins: the gateway itself and a Vite dev server. */
export function defaultCorsOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`, 'http://127.0.0.1:5173', 'http://localhost:5173'];
}

/** CORS_ORIGINS: exact origins, comma separated. */
export function corsOriginsOf(env: Env): string[] | undefined {
  return env.CORS_ORIGINS?.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
}

/** Ports between one replica of a service and the next (tools/start.sh --replicas). */
export const REPLICA_PORT_STEP = 100;

/** CRM_REPLICAS: how many processes tools/start.sh runs of each service (1 unless set). */
export function replicasOf(env: Env): number {
  const n = Number(env.CRM_REPLICAS ?? 1);
  if (!Number.isInteger(n) || n < 1 || n > 9) throw new Error(`CRM_REPLICAS must be a whole number from 1 to 9, got "${env.CRM_REPLICAS}"`);
  return n;
}

/**
 * A service's replicas: `<SVC>_URL` (http://host:port, or several, comma separated), else on 127.0.0.1 the
 * port `<SVC>_PORT` (or the default) and, for CRM_REPLICAS = N, the N − 1 ports after it REPLICA_PORT_STEP apart
 * (as tools/start.sh: replica k on <port> + 100·k).
 */
export function upstreamOf(service: ServiceName, env: Env): string[] {
  const upper = service.toUpperCase();
  const urls = env[`${upper}_URL`];
  if (urls) {
    return urls.split(',').map((url) => {
      const parsed = new URL(url.trim());
      if (parsed.protocol !== 'http:') throw new Error(`${upper}_URL: the gateway reaches services over http://, got ${url}`);
      return `${parsed.hostname}:${parsed.port || 80}`;
    });
  }
  const port = Number(env[`${upper}_PORT`] ?? DEFAULT_PORTS[service]);
  return Array.from({ length: replicasOf(env) }, (_, k) => `127.0.0.1:${port + REPLICA_PORT_STEP * k}`);
}

export function localConfig(env: Env, runDir: string): GatewayConfig {
  const port = Number(env.GATEWAY_PORT ?? DEFAULT_GATEWAY_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`GATEWAY_PORT must be a port number, got "${env.GATEWAY_PORT}"`);
  const services = Object.keys(DEFAULT_PORTS) as ServiceName[];
  return {
    listen: env.GATEWAY_HOST ? `${env.GATEWAY_HOST}:${port}` : String(port),
    upstreams: Object.fromEntries(services.map((s) => [s, upstreamOf(s, env)])) as Record<ServiceName, string[]>,
    corsOrigins: corsOriginsOf(env) ?? defaultCorsOrigins(port),
    pidFile: join(runDir, 'nginx.pid'),
    tempDir: join(runDir, 'temp'),
    accessLog: join(runDir, 'access.log'),
    errorLog: join(runDir, 'error.log'),
    documentPath: join(ROOT, 'docs', 'api', 'openapi.json'),
    swaggerUiDir: swaggerUiDir(),
    docsPagePath: join(runDir, 'docs.html'),
    jsonBodyLimit: parseByteSize(env.HTTP_JSON_BODY_LIMIT ?? DEFAULT_JSON_BODY_LIMIT),
    uploadBodyLimit: UPLOAD_BODY_LIMIT,
    // One worker proxies thousands of requests a second at about 50 µs of CPU each; on a small machine a second
    // one only competes with the services for the cores (bench scenario `gateway`).
    workerProcesses: env.GATEWAY_WORKERS ?? '1',
    user: process.getuid?.() === 0 ? ownerOf(ROOT) : undefined,
    console: consoleSiteOf(env, runDir),
  };
}

/** The built console (CONSOLE_DIR, default dist/apps/web; `none`: no console) when there is one; without it `/` leads to the docs. */
export function consoleSiteOf(env: Env, runDir: string): ConsoleSite | undefined {
  if (env.CONSOLE_DIR === 'none') return undefined;
  const dir = resolve(ROOT, env.CONSOLE_DIR ?? join('dist', 'apps', 'web'));
  if (!existsSync(join(dir, 'index.html'))) return undefined;
  const settings = consoleConfig(env);
  return {
    dir,
    configPath: join(runDir, 'config.json'),
    devSignIn: env.DEV_SIGN_IN === 'true',
    connectSources: settings.signIn === 'oidc' ? [new URL(settings.oidc.authority).origin] : [],
  };
}

type ConsoleConfig = { signIn: 'dev' } | { signIn: 'oidc'; oidc: Record<string, unknown> & { authority: string } };

/**
 * What the console reads at /config.json: single sign-on with the services' provider (OIDC_ISSUER, and the
 * console's own client id CONSOLE_OIDC_CLIENT_ID; the claim paths and role map the services use), else the
 * development sign-in.
 */
export function consoleConfig(env: Env): ConsoleConfig {
  if (!env.OIDC_ISSUER || !env.CONSOLE_OIDC_CLIENT_ID) return { signIn: 'dev' };
  return {
    signIn: 'oidc',
    oidc: {
      authority: env.OIDC_ISSUER,
      clientId: env.CONSOLE_OIDC_CLIENT_ID,
      ...(env.CONSOLE_OIDC_SCOPE && { scope: env.CONSOLE_OIDC_SCOPE }),
      ...(env.OIDC_ROLES_CLAIM && { rolesClaim: env.OIDC_ROLES_CLAIM }),
      ...(env.OIDC_TEAM_CLAIM && { teamClaim: env.OIDC_TEAM_CLAIM }),
      ...(env.OIDC_ROLE_MAP && { roleMap: Object.fromEntries(parseRoleMap(env.OIDC_ROLE_MAP).map) }),
    },
  };
}

function swaggerUiDir(): string {
  // A dependency of @nestjs/swagger (the services' own /docs pages use it too).
  return resolve(require.resolve('swagger-ui-dist/package.json'), '..');
}

/**
 * Run as root, nginx drops its workers to another user, which must read the checkout (the document, the docs
 * page): the checkout's owner does.
 */
function ownerOf(path: string): { name: string; group: string } {
  const { uid, gid } = statSync(path);
  const name = lookup('/etc/passwd', uid) ?? 'nobody';
  return { name, group: lookup('/etc/group', gid) ?? 'nogroup' };
}

function lookup(file: string, id: number): string | undefined {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => Number(fields[2]) === id && fields[0])?.[0];
}
