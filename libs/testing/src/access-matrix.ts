import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { ALL_ROLES, Role } from '@crm/http';
import { PUBLIC_ROUTE_KEY } from '@crm/observability';
import { TEST_JWT_SECRET, type TestService, type TokenClaims } from './service';

// Nest's `@Roles()` metadata key (libs/http roles.decorator); read here, not imported, so the test does not
// trust the very decorator it checks.
const ROLES_METADATA = 'crm:http:roles';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
type Method = (typeof METHODS)[number];

/** One HTTP route as the running app registered it, with the access metadata on its handler. */
export interface DiscoveredRoute {
  method: Method;
  /** Express style: `/api/v1/leads/:id`. */
  path: string;
  key: string;
  isPublic: boolean;
  /** `@Roles(...)` of the handler, else of its controller; undefined when neither declares any. */
  roles?: Role[];
}

export const PUBLIC = 'public' as const;
/** `@Public()` for bearer auth but verified by an HMAC signature (web forms, ERP webhooks): unsigned calls are refused. */
export const SIGNED = 'signed' as const;
/** Who may call each route: `'GET /api/v1/leads/:id': [Role.Admin, ...]`, `PUBLIC` or `SIGNED`. */
export type AccessTable = Record<string, readonly Role[] | typeof PUBLIC | typeof SIGNED>;

/** The routes every service gets from libs/observability; health and metrics are public by the API conventions (docs/architecture.md). */
export const OPS_ROUTES: AccessTable = { 'GET /metrics': PUBLIC, 'GET /health/live': PUBLIC, 'GET /health/ready': PUBLIC };

const joinPath = (...parts: (string | undefined)[]) =>
  `/${parts
    .flatMap((p) => (p ?? '').split('/'))
    .filter(Boolean)
    .join('/')}`;

/** Every HTTP route of the running app, from Nest's own controller registry (Kafka handlers have no HTTP method). */
export function discoverRoutes(app: INestApplication): DiscoveredRoute[] {
  const routes = new Map<string, DiscoveredRoute>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!controller?.prototype) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const methodIndex = Reflect.getMetadata(METHOD_METADATA, handler) as number | undefined;
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (methodIndex === undefined || sub === undefined) continue;
        const method = METHODS[[0, 1, 2, 3, 4].indexOf(methodIndex)];
        if (!method) throw new Error(`${controller.name}.${name}: HTTP method ${methodIndex} is not covered by the access matrix`);
        const isPublic = Boolean(Reflect.getMetadata(PUBLIC_ROUTE_KEY, handler) ?? Reflect.getMetadata(PUBLIC_ROUTE_KEY, controller));
        const roles = (Reflect.getMetadata(ROLES_METADATA, handler) ?? Reflect.getMetadata(ROLES_METADATA, controller)) as Role[] | undefined;
        for (const b of [base ?? ''].flat()) {
          for (const s of [sub].flat()) {
            const path = joinPath(b, s);
            const key = `${method} ${path}`;
            routes.set(key, { method, path, key, isPublic, roles: roles?.length ? [...roles] : undefined });
          }
        }
      }
    }
  }
  return [...routes.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** Operations of the service's OpenAPI document, as `METHOD /path/:param` keys. */
export async function openApiRouteKeys(svc: TestService): Promise<string[]> {
  const res = await request(svc.app.getHttpServer()).get('/openapi.json').expect(200);
  const paths = res.body.paths as Record<string, Record<string, unknown>>;
  return Object.entries(paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => METHODS.includes(m.toUpperCase() as Method))
      .map((m) => `${m.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`),
  );
}

export interface Credential {
  name: string;
  header?: string;
  /** The role this credential carries, for the allowed/forbidden decision; none means it must be refused. */
  role?: Role;
  /** 401: not authenticated at all; 403: authenticated, but no role grants anything. */
  refusedWith?: 401 | 403;
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The callers of the matrix: one token per role, plus the ones that must never get in: no token, an
 * expired token, one signed with another key, an unsigned `alg: none` token, and a valid token with no role.
 */
/** A role missing from `claims` gets a token with only that role (the non-sales roles, in most services). */
export function accessCredentials(svc: TestService, claims: Partial<Record<Role, TokenClaims>>): Credential[] {
  const now = Math.floor(Date.now() / 1000);
  const who = { sub: randomUUID(), roles: [Role.Admin] };
  const otherKey = new JwtService({ secret: `${TEST_JWT_SECRET}-but-not-ours` });
  const ours = new JwtService({ secret: TEST_JWT_SECRET });
  return [
    ...ALL_ROLES.map((role) => ({ name: role, role, header: `Bearer ${svc.token(claims[role] ?? { sub: randomUUID(), roles: [role] })}` })),
    { name: 'no token', refusedWith: 401 },
    { name: 'expired token', refusedWith: 401, header: `Bearer ${ours.sign({ ...who, exp: now - 60, iat: now - 3600 })}` },
    { name: 'token signed with the wrong key', refusedWith: 401, header: `Bearer ${otherKey.sign(who, { expiresIn: '1h' })}` },
    { name: 'unsigned alg:none token', refusedWith: 401, header: `Bearer ${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...who, exp: now + 600 })}.` },
    { name: 'token with no role', refusedWith: 403, header: `Bearer ${svc.token({ sub: randomUUID(), roles: [] })}` },
  ];
}

/** A value for each path parameter that passes parsing but names nothing that exists. */
const PARAM_VALUES: Record<string, () => string> = {
  sku: () => 'ACCESS-MATRIX-NO-SKU',
  period: () => '2026-11',
};
export const fillPath = (path: string, values: Record<string, string> = {}) =>
  path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => values[name] ?? PARAM_VALUES[name]?.() ?? randomUUID());

export function send(svc: TestService, method: Method, url: string, header?: string, body?: unknown): request.Test {
  let req = request(svc.app.getHttpServer())[method.toLowerCase() as Lowercase<Method>](url);
  if (header) req = req.set('authorization', header);
  if (body !== undefined || method !== 'GET') req = req.send((body ?? {}) as object);
  // A live stream (Server-Sent Events) never ends: it is judged by its status and headers, then closed.
  return url.split('?')[0].endsWith('/stream') ? req.buffer(true).parse(streamOrJson) : req;
}

function streamOrJson(res: request.Response, done: (err: Error | null, body: unknown) => void): void {
  const raw = res as unknown as IncomingMessage;
  if (/^text\/event-stream/.test(String(raw.headers['content-type']))) {
    raw.destroy();
    return done(null, {});
  }
  let text = '';
  raw.setEncoding('utf8');
  raw.on('data', (chunk: string) => (text += chunk));
  raw.on('end', () => done(null, /json/.test(String(raw.headers['content-type'])) && text ? JSON.parse(text) : text));
}

/** Why a response is not the problem+json answer with this status, or undefined when it is. */
export function problemMismatch(res: request.Response, status: number): string | undefined {
  if (res.status !== status) return `got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}, want ${status}`;
  if (!/^application\/problem\+json/.test(String(res.headers['content-type']))) return `status ${status} but content-type ${res.headers['content-type']}`;
  if (res.body?.status !== status) return `problem body status ${res.body?.status}`;
  return undefined;
}

/**
 * Checks the route × credential matrix and returns every violation (empty when all hold):
 * - the routes the app registers, the OpenAPI document and the explicit table name the same routes, and each
 *   route's `@Roles`/`@Public` metadata equals its table entry (a relaxed decorator fails here);
 * - at run time, a refused credential gets 401 (403 for a role-less token) problem+json on every non-public
 *   route, a role outside the table gets 403 problem+json, and a role in it gets neither (nor a 5xx): a removed
 *   guard fails here.
 */
export async function checkAccessMatrix(
  svc: TestService,
  table: AccessTable,
  claims: Partial<Record<Role, TokenClaims>>,
): Promise<{ violations: string[]; routes: DiscoveredRoute[]; requests: number }> {
  const routes = discoverRoutes(svc.app);
  const violations: string[] = [];
  const found = new Set(routes.map((r) => r.key));
  for (const key of Object.keys(table)) if (!found.has(key)) violations.push(`${key}: in the table but not served`);
  const documented = await openApiRouteKeys(svc);
  for (const key of documented) if (!found.has(key)) violations.push(`${key}: in openapi.json but not served`);
  for (const route of routes) {
    const want = table[route.key];
    if (want === undefined) violations.push(`${route.key}: served but missing from the access table`);
    else if (want === PUBLIC || want === SIGNED) {
      if (!route.isPublic) violations.push(`${route.key}: table says ${want}, route is not @Public`);
    } else {
      if (route.isPublic) violations.push(`${route.key}: @Public but the table allows only ${want.join(', ')}`);
      const declared = [...(route.roles ?? [])].sort().join(',');
      if (declared !== [...want].sort().join(','))
        violations.push(`${route.key}: @Roles(${declared || 'none'}) but the table says (${[...want].sort().join(',')})`);
    }
    if (!route.isPublic && !documented.includes(route.key)) violations.push(`${route.key}: served but not in openapi.json`);
  }

  let requests = 0;
  const credentials = accessCredentials(svc, claims);
  for (const route of routes) {
    const want = table[route.key];
    if (want === undefined) continue;
    for (const credential of credentials) {
      const res = await send(svc, route.method, fillPath(route.path), credential.header);
      requests += 1;
      const label = `${route.key} as ${credential.name}`;
      if (res.status >= 500) {
        violations.push(`${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
        continue;
      }
      if (want === PUBLIC) continue;
      if (want === SIGNED) {
        // No signature: every caller is refused, a bearer token of any role included.
        if ((res.status !== 401 && res.status !== 403) || problemMismatch(res, res.status))
          violations.push(`${label}: unsigned call got ${res.status}, want 401/403 problem+json`);
        continue;
      }
      if (credential.refusedWith) {
        const mismatch = problemMismatch(res, credential.refusedWith);
        if (mismatch) violations.push(`${label}: ${mismatch}`);
      } else if (want.includes(credential.role!)) {
        if (res.status === 401 || res.status === 403) violations.push(`${label}: allowed by the table but got ${res.status} ${res.body?.detail ?? ''}`);
      } else {
        const mismatch = problemMismatch(res, 403);
        if (mismatch) violations.push(`${label}: ${mismatch}`);
      }
    }
  }
  return { violations, routes, requests };
}

/** Paths no service serves, asked with and without a token: each must be a 404 problem, never a 500. */
export async function checkUnknownRoutes(svc: TestService, claims: TokenClaims): Promise<string[]> {
  const violations: string[] = [];
  const paths = ['/api/v1/no-such-resource', `/api/v1/no-such-resource/${randomUUID()}`, '/api/v2/leads', '/%E0%A4%A', '/api/v1/../../etc/passwd', '/.env'];
  for (const path of paths) {
    for (const method of ['GET', 'POST', 'DELETE'] as const) {
      for (const header of [undefined, `Bearer ${svc.token(claims)}`]) {
        const res = await send(svc, method, path, header);
        const status = res.status === 400 && path.startsWith('/%') ? 400 : 404;
        const mismatch = problemMismatch(res, status);
        if (mismatch) violations.push(`${method} ${path} ${header ? 'with' : 'without'} a token: ${mismatch}`);
      }
    }
  }
  return violations;
}

export interface Caller {
  name: string;
  claims: TokenClaims;
}

/**
 * Cross-owner check: every served route under `prefix` whose path names the record (`:id` …) is called by
 * each caller on a record they must not see. A caller whose role the route admits gets 404 problem+json
 * (by design: existence is not leaked, the answer is the one for a missing id); any other caller 403.
 * `bodies` holds a valid body per non-GET route so a 400 cannot hide a leak; a route without one is a
 * violation, so a new id route cannot slip past this check.
 */
export async function checkCrossOwner(
  svc: TestService,
  opts: {
    prefix: string;
    params: Record<string, string>;
    callers: Caller[];
    bodies: Record<string, unknown>;
    headers?: Record<string, string>;
    query?: string;
  },
): Promise<{ violations: string[]; checked: string[] }> {
  const violations: string[] = [];
  const checked: string[] = [];
  const routes = discoverRoutes(svc.app).filter((r) => r.path.startsWith(opts.prefix) && Object.keys(opts.params).some((p) => r.path.includes(`:${p}`)));
  for (const route of routes) {
    const body = opts.bodies[route.key];
    if (route.method !== 'GET' && body === undefined) {
      violations.push(`${route.key}: no valid body given for the cross-owner check`);
      continue;
    }
    checked.push(route.key);
    for (const caller of opts.callers) {
      let req = send(
        svc,
        route.method,
        `${fillPath(route.path, opts.params)}${opts.query ?? ''}`,
        `Bearer ${svc.token(caller.claims)}`,
        route.method === 'GET' ? undefined : body,
      );
      for (const [name, value] of Object.entries(opts.headers ?? {})) req = req.set(name, value);
      const res = await req;
      const admitted = route.roles?.some((role) => caller.claims.roles.includes(role));
      const mismatch = problemMismatch(res, admitted ? 404 : 403);
      if (mismatch) violations.push(`${route.key} as ${caller.name}: ${mismatch}`);
    }
  }
  return { violations, checked };
}
