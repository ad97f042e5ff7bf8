import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ServiceName } from '@crm/contracts';
import { eventually, openStream, startSystem, type RunningGateway, type TestSystem } from '@crm/testing';

// The gateway (nginx, configured by tools/gateway) in front of two real services; the others are not started, so
// their routes must answer the gateway's own 503. Which service answered a request is read from the gateway's
// JSON access log, by the request id each request sends.
jest.setTimeout(180_000);

const ROOT = resolve(__dirname, '..', '..', '..');
const DOCUMENT = JSON.parse(readFileSync(resolve(ROOT, 'docs', 'api', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { 'x-service': ServiceName }>>;
};
const RUNNING: ServiceName[] = ['leads', 'notifications'];
const ALLOWED = 'http://console.crm.test:5173';
const OTHER = 'http://elsewhere.test';
const admin = { sub: 'admin-1', roles: ['admin'] };

interface AccessLine {
  time: string;
  requestId: string;
  method: string;
  uri: string;
  status: number;
  service: string;
  upstreamTime: string;
  bytes: number;
}

describe('the gateway: one origin for every service', () => {
  let system: TestSystem & { gateway: RunningGateway };
  let url: string;
  const accessLog = () =>
    system.gateway
      .logs()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as AccessLine);
  const logged = (requestId: string) => eventually(async () => expect(accessLog().find((l) => l.requestId === requestId)).toBeDefined());
  const corsHeaders = (res: Response) => [...res.headers.keys()].filter((h) => h.startsWith('access-control-'));

  beforeAll(async () => {
    system = await startSystem(RUNNING, {
      gateway: { corsOrigins: [ALLOWED] },
      env: { NOTIFICATIONS_SSE_HEARTBEAT_MS: '200' },
    });
    url = system.gateway.url;
  });

  afterAll(() => system?.stop());

  it('routes every path of the merged document to the service that owns it, the shared /history and /erp prefixes too', async () => {
    const sent: { id: string; path: string; owner: ServiceName; res: Response; body: { detail?: string } }[] = [];
    for (const [path, item] of Object.entries(DOCUMENT.paths)) {
      const [method, op] = Object.entries(item)[0];
      const id = `route-${sent.length}`;
      const concrete = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const res = await fetch(`${url}${concrete}`, { method: method.toUpperCase(), headers: { 'x-request-id': id } });
      sent.push({ id, path, owner: op['x-service'], res, body: (await res.json()) as { detail?: string } });
    }
    expect(sent.map((s) => s.path)).toEqual(expect.arrayContaining(['/api/v1/history/leads', '/api/v1/history/orders', '/api/v1/erp/webhooks/stock']));
    await logged(sent[sent.length - 1].id);
    const log = accessLog();
    for (const { id, path, owner, res, body } of sent) {
      expect({ path, service: log.find((l) => l.requestId === id)?.service }).toEqual({ path, service: owner });
      if (RUNNING.includes(owner)) {
        // The service's own answer (no token: 401; a public route: its 400 for the empty body), not the gateway's.
        expect({ path, status: [400, 401].includes(res.status) }).toEqual({ path, status: true });
      } else {
        expect({ path, status: res.status, retryAfter: res.headers.get('retry-after') }).toEqual({ path, status: 503, retryAfter: '5' });
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(body.detail).toBe(`The ${owner} service is not answering; retry later.`);
      }
    }
  });

  it('answers as the service does, with a token', async () => {
    const token = system.token(admin);
    await system
      .as(admin, 'leads')
      .post('/api/v1/reps')
      .send({ name: 'Gateway Rep', email: 'gateway.rep@crm.example', team: 'west', capacity: 10 })
      .expect(201);
    const direct = await fetch(`${system.services.leads.url}/api/v1/reps`, { headers: { authorization: `Bearer ${token}` } });
    const proxied = await fetch(`${url}/api/v1/reps`, { headers: { authorization: `Bearer ${token}` } });
    expect(proxied.status).toBe(200);
    expect(await proxied.json()).toEqual(await direct.json());
  });

  it('passes the caller’s request id to the service as its correlation id and returns it; makes one up otherwise', async () => {
    const mine = await fetch(`${url}/api/v1/leads`, { headers: { 'x-request-id': 'console-req.42' } });
    expect(mine.status).toBe(401);
    expect(mine.headers.get('x-request-id')).toBe('console-req.42');
    expect(mine.headers.get('x-correlation-id')).toBe('console-req.42');
    // The service's problem names the id it saw.
    expect(((await mine.json()) as { correlationId: string }).correlationId).toBe('console-req.42');

    for (const headers of [{}, { 'x-request-id': 'not sane\u00e9' }] as Record<string, string>[]) {
      const made = await fetch(`${url}/api/v1/leads`, { headers });
      const id = made.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(made.headers.get('x-correlation-id')).toBe(id);
      expect(((await made.json()) as { correlationId: string }).correlationId).toBe(id);
    }
  });

  it('writes one JSON access line per request: time, request id, method, uri without the query, status, service, upstream time, bytes', async () => {
    const res = await fetch(`${url}/api/v1/leads?q=secret-filter`, { headers: { 'x-request-id': 'log-line-1' } });
    await res.text();
    await logged('log-line-1');
    const line = accessLog().find((l) => l.requestId === 'log-line-1')!;
    expect(line).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/),
      requestId: 'log-line-1',
      method: 'GET',
      uri: '/api/v1/leads',
      status: 401,
      service: 'leads',
      upstreamTime: expect.stringMatching(/^\d+\.\d{3}$/),
      requestTime: expect.any(Number),
      bytes: Number(res.headers.get('content-length')),
    });
  });

  it('gives an allowed origin CORS headers with credentials and the exposed headers, on errors too; another origin none', async () => {
    const token = system.token(admin);
    for (const [path, auth, status] of [
      ['/api/v1/reps', `Bearer ${token}`, 200],
      ['/api/v1/reps', '', 401],
      ['/api/v1/orders', '', 503],
      ['/no/such/thing', '', 404],
    ] as const) {
      const allowed = await fetch(`${url}${path}`, { headers: { origin: ALLOWED, ...(auth && { authorization: auth }) } });
      expect({ path, status: allowed.status }).toEqual({ path, status });
      expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
      expect(allowed.headers.get('access-control-expose-headers')?.split(', ')).toEqual(
        expect.arrayContaining(['ETag', 'Location', 'Idempotent-Replayed', 'Retry-After', 'X-Request-Id']),
      );
      expect(allowed.headers.get('vary')).toContain('Origin');

      const other = await fetch(`${url}${path}`, { headers: { origin: OTHER, ...(auth && { authorization: auth }) } });
      expect({ path, status: other.status }).toEqual({ path, status });
      expect(corsHeaders(other)).toEqual([]);
    }
  });

  it('answers preflights itself: the allowed origin may send a token, keys and versions; another origin learns nothing', async () => {
    const preflight = (origin: string) =>
      fetch(`${url}/api/v1/leads/00000000-0000-4000-8000-000000000000`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization, if-match' },
      });
    const allowed = await preflight(ALLOWED);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowed.headers.get('access-control-allow-methods')?.split(', ')).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']));
    expect(allowed.headers.get('access-control-allow-headers')?.split(', ')).toEqual(
      expect.arrayContaining(['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key', 'Last-Event-ID', 'X-Request-Id']),
    );
    expect(Number(allowed.headers.get('access-control-max-age'))).toBeGreaterThan(0);

    const other = await preflight(OTHER);
    expect(other.status).toBe(204);
    expect(corsHeaders(other)).toEqual([]);
  });

  it('answers an unknown path, and what ops keep on each service (/health, /metrics), with a problem+json 404', async () => {
    for (const path of ['/api/v1/no-such-resource', '/api/v2/leads', '/health/ready', '/metrics']) {
      const res = await fetch(`${url}${path}`, { headers: { 'x-request-id': 'unknown-1' } });
      expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({ path, status: 404, type: 'application/problem+json' });
      expect(await res.json()).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: expect.any(String),
        code: 'NOT_FOUND',
        instance: path,
        correlationId: 'unknown-1',
      });
    }
  });

  it('refuses a JSON body over the services’ limit itself, as problem+json 413; a CSV import of that size goes through', async () => {
    const res = await fetch(`${url}/api/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${system.token(admin)}` },
      body: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 1) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });

    // The import streams its rows and judges each itself: this one is over its record size, not the gateway's limit.
    const csv = await fetch(`${url}/api/v1/leads/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${system.token(admin)}` },
      body: `name,needs\nBig,${'x'.repeat(1024 * 1024 + 1)}\n`,
    });
    expect(csv.status).toBe(200);
    expect(await csv.json()).toMatchObject({ rejected: [expect.anything()] });
  });

  it('passes the live notification stream through as it is written, and keeps its token out of the log', async () => {
    const token = system.token({ sub: 'stream-reader', roles: ['sales_rep'] });
    const stream = await openStream(url, `/api/v1/notifications/stream?access_token=${token}`, { 'x-request-id': 'stream-1' });
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toContain('text/event-stream');
      // The opening unread count and heartbeats arrive while the stream is still open.
      await stream.until((events) => events.some((e) => e.event === 'unread-count'));
      await eventually(async () => expect(stream.comments.length).toBeGreaterThanOrEqual(2));
    } finally {
      stream.close();
    }
    await logged('stream-1');
    expect(system.gateway.logs()).not.toContain(token);
  });

  it('serves the merged API document and its docs page (Swagger UI, offline)', async () => {
    const document = await fetch(`${url}/api/openapi.json`);
    expect(document.headers.get('content-type')).toBe('application/json');
    expect(await document.json()).toEqual(DOCUMENT);

    const page = await fetch(`${url}/docs`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain("url: '/api/openapi.json'");
    for (const asset of ['/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css']) {
      expect(html).toContain(asset);
      const res = await fetch(`${url}${asset}`);
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
    }
  });
});
