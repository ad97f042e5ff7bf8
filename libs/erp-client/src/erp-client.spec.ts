import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DependencyUnavailableError, NonRetryableError } from '@crm/messaging';
import { MetricsRegistry } from '@crm/observability';
import { ErpClient, type ErpClientOptions } from './erp-client';
import { createErpClientMetrics } from './erp-client.metrics';
import { ErpRejectedError, ErpUnavailableError } from './errors';

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
}

/** node:http on 127.0.0.1 answering with the queued replies (then 200), recording when each request came. */
class ScriptedServer {
  readonly requests: { at: number; method: string; path: string; headers: IncomingHttpHeaders }[] = [];
  replies: Reply[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        this.requests.push({ at: Date.now(), method: req.method ?? '', path: req.url ?? '', headers: req.headers });
        const reply = this.replies.shift() ?? { status: 200, body: { ok: true } };
        setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
        }, reply.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('ErpClient (against node:http on 127.0.0.1)', () => {
  let server: ScriptedServer;
  let baseUrl: string;
  let registry: MetricsRegistry;

  beforeEach(async () => {
    server = new ScriptedServer();
    baseUrl = await server.start();
    registry = new MetricsRegistry({ serviceName: 'test' });
  });
  afterEach(() => server.stop());

  const client = (options: Partial<ErpClientOptions> = {}) =>
    new ErpClient({
      erp: 'test',
      baseUrl: `${baseUrl}/`,
      token: 'tkn',
      // Generous: a loaded machine's first request in a new process can take a second.
      timeoutMs: 5_000,
      maxAttempts: 3,
      backoff: { initialMs: 10, maxMs: 40 },
      breaker: { failures: 100, halfOpenAfterMs: 100 },
      metrics: createErpClientMetrics(registry),
      ...options,
    });
  const post = (erp: ErpClient, extra: { recordPath?: boolean; accept?: number[] } = {}) =>
    erp.request({ method: 'POST', path: '/things', body: { a: 1 }, idempotencyKey: 'key-1', ...extra });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (err: unknown) => err as Error,
    );
  /** The value of the sample `name{a="x",…` whose labels include those given (in any order). */
  const metric = async (sample: string) => {
    const [name, labels = ''] = sample.split('{');
    const wanted = labels.split(',').filter(Boolean);
    const found = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
    return found === undefined ? undefined : Number(found.split(' ').pop());
  };

  it('sends JSON with the bearer token and the idempotency key, and returns the answer', async () => {
    server.replies = [{ status: 201, body: { id: 7 } }];
    await expect(post(client())).resolves.toEqual({ status: 201, body: { id: 7 } });
    expect(server.requests[0].headers).toMatchObject({ authorization: 'Bearer tkn', 'idempotency-key': 'key-1', 'content-type': 'application/json' });
    expect(server.requests[0].path).toBe('/things');
    expect(await metric('crm_erp_requests_total{erp="test",method="POST",outcome="ok",status="201"')).toBe(1);
    expect(await metric('crm_erp_request_duration_seconds_count{erp="test",method="POST"')).toBe(1);
  });

  it.each([
    // status, what the caller gets, HTTP requests made (3 attempts at most)
    [400, ErpRejectedError, 1],
    [409, ErpRejectedError, 1],
    [422, ErpRejectedError, 1],
    [404, ErpUnavailableError, 1],
    [401, ErpUnavailableError, 1],
    [403, ErpUnavailableError, 1],
    [405, ErpUnavailableError, 1],
    [408, ErpUnavailableError, 3],
    [429, ErpUnavailableError, 3],
    [500, ErpUnavailableError, 3],
    [503, ErpUnavailableError, 3],
  ])('classifies HTTP %i as %p after %i request(s)', async (status, type, requests) => {
    server.replies = Array.from({ length: 3 }, () => ({ status, body: { error: 'no' } }));
    const err = await failure(post(client()));
    expect(err).toBeInstanceOf(type);
    // The inbox reads these two base classes: dead-letter, or wait.
    expect(err).toBeInstanceOf(type === ErpRejectedError ? NonRetryableError : DependencyUnavailableError);
    expect(err).not.toBeInstanceOf(type === ErpRejectedError ? DependencyUnavailableError : NonRetryableError);
    expect(server.requests).toHaveLength(requests);
  });

  it('dead-letters a 404 on a path that names a record, with the reason', async () => {
    server.replies = [{ status: 404, body: { error: 'no such receivable' } }];
    const err = await failure(post(client(), { recordPath: true }));
    expect(err).toBeInstanceOf(ErpRejectedError);
    expect(err!.message).toBe('ERP refused POST /things with 404: {"error":"no such receivable"}');
  });

  it('returns an accepted status as an answer', async () => {
    server.replies = [{ status: 409, body: { status: 'insufficient' } }];
    await expect(post(client(), { accept: [409] })).resolves.toEqual({ status: 409, body: { status: 'insufficient' } });
  });

  it('treats a network error and a timeout as unavailable, retried, and counts them', async () => {
    server.replies = [
      { status: 200, delayMs: 400 },
      { status: 200, delayMs: 400 },
      { status: 200, delayMs: 400 },
    ];
    const slow = await failure(post(client({ timeoutMs: 100 })));
    expect(slow).toBeInstanceOf(ErpUnavailableError);
    expect(slow!.message).toBe('ERP POST /things timed out after 100 ms after 3 attempts');
    expect(await metric('crm_erp_requests_total{erp="test",method="POST",outcome="timeout",status="none"')).toBe(3);

    await server.stop();
    const down = await failure(post(client({ maxAttempts: 2 })));
    expect(down).toBeInstanceOf(ErpUnavailableError);
    expect(down!.message).toMatch(/^ERP POST \/things unreachable \(ECONNREFUSED\) after 2 attempts$/);
    expect(await metric('crm_erp_requests_total{erp="test",method="POST",outcome="network",status="none"')).toBe(2);
    expect(await metric('crm_erp_unavailable{erp="test"')).toBe(1);
  });

  it('retries 5xx with the same idempotency key, with jittered exponential back-off within its bounds', async () => {
    server.replies = [{ status: 503 }, { status: 502 }, { status: 500 }];
    const erp = client({ maxAttempts: 4, backoff: { initialMs: 100, maxMs: 150 } });
    await expect(post(erp)).resolves.toMatchObject({ status: 200 });
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['key-1', 'key-1', 'key-1', 'key-1']);
    const gaps = server.requests.slice(1).map((r, i) => r.at - server.requests[i].at);
    // Retry n waits within [base/2, base], base = min(150, 100·2^(n-1)); a little slack for the round trip.
    [
      [50, 100],
      [75, 150],
      [75, 150],
    ].forEach(([min, max], i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(min - 5);
      expect(gaps[i]).toBeLessThanOrEqual(max + 150);
    });
  });

  it('waits what Retry-After says (seconds or an HTTP date) instead of its own back-off, capped', async () => {
    server.replies = [{ status: 503, headers: { 'retry-after': '1' } }];
    const erp = client({ backoff: { initialMs: 10, maxMs: 10 } });
    await post(erp);
    const waited = server.requests[1].at - server.requests[0].at;
    expect(waited).toBeGreaterThanOrEqual(990);
    expect(waited).toBeLessThan(1_600);

    server.replies = [{ status: 429, headers: { 'retry-after': new Date(Date.now() + 2_000).toUTCString() } }];
    const before = server.requests.length;
    await post(erp);
    // A date has whole seconds: between 1 and 2 s from now.
    const byDate = server.requests[before + 1].at - server.requests[before].at;
    expect(byDate).toBeGreaterThanOrEqual(900);
    expect(byDate).toBeLessThan(2_600);

    server.replies = [{ status: 503, headers: { 'retry-after': '3600' } }];
    const capped = client({ maxRetryAfterMs: 200 });
    const start = server.requests.length;
    await post(capped);
    const waitedCapped = server.requests[start + 1].at - server.requests[start].at;
    expect(waitedCapped).toBeGreaterThanOrEqual(190);
    expect(waitedCapped).toBeLessThan(800);
  });

  it('opens the circuit after consecutive failed calls, fails fast while open, then lets one probe through', async () => {
    const erp = client({ maxAttempts: 1, breaker: { failures: 2, halfOpenAfterMs: 300 } });
    server.replies = [{ status: 503 }, { status: 401 }];
    await failure(post(erp));
    expect(erp.circuitState).toBe('closed');
    await failure(post(erp));
    expect(erp.circuitState).toBe('open');
    expect(await metric('crm_erp_circuit_state{erp="test"')).toBe(2);

    // Open: nothing is sent, the caller waits (DependencyUnavailableError) and the alert gauge stays up.
    const fast = await failure(post(erp));
    expect(fast).toBeInstanceOf(ErpUnavailableError);
    expect((fast as ErpUnavailableError).reason).toBe('circuit_open');
    expect(fast!.message).toMatch(
      /circuit of ERP 'test' is open after 2 failed calls in a row \(last: ERP POST \/things refused our credentials \(HTTP 401\)\)/,
    );
    expect(server.requests).toHaveLength(2);
    expect(await metric('crm_erp_requests_total{erp="test",method="POST",outcome="circuit_open",status="none"')).toBe(1);
    expect(await metric('crm_erp_unavailable{erp="test"')).toBe(1);

    // Half-open: one probe; it fails, so the circuit opens again at once (no new count of 2).
    await new Promise((r) => setTimeout(r, 320));
    server.replies = [{ status: 503 }];
    await failure(post(erp));
    expect(server.requests).toHaveLength(3);
    expect(erp.circuitState).toBe('open');
    expect(((await failure(post(erp))) as ErpUnavailableError).reason).toBe('circuit_open');

    // The next probe succeeds: closed, the alert gauge drops.
    await new Promise((r) => setTimeout(r, 320));
    const states: string[] = [];
    const probe = post(erp);
    states.push(erp.circuitState);
    await expect(probe).resolves.toMatchObject({ status: 200 });
    expect(states).toEqual(['half-open']);
    expect(erp.circuitState).toBe('closed');
    expect(await metric('crm_erp_circuit_state{erp="test"')).toBe(0);
    expect(await metric('crm_erp_unavailable{erp="test"')).toBe(0);
  });

  it('does not count a refusal of the request (4xx) against the ERP: the circuit stays closed', async () => {
    const erp = client({ maxAttempts: 1, breaker: { failures: 2, halfOpenAfterMs: 10_000 } });
    server.replies = [{ status: 422 }, { status: 422 }, { status: 422 }];
    for (let i = 0; i < 3; i++) expect(await failure(post(erp))).toBeInstanceOf(ErpRejectedError);
    expect(erp.circuitState).toBe('closed');
    expect(await metric('crm_erp_unavailable{erp="test"')).toBe(0);
  });

  it('keeps the circuit closed while the ERP still answers a call after in-call retries', async () => {
    const erp = client({ maxAttempts: 3, breaker: { failures: 1, halfOpenAfterMs: 10_000 } });
    server.replies = [{ status: 503 }, { status: 503 }];
    await expect(post(erp)).resolves.toMatchObject({ status: 200 });
    expect(erp.circuitState).toBe('closed');
  });

  it('does not probe an ERP before the Retry-After it gave when it opened the circuit (within the cap)', async () => {
    const erp = client({ maxAttempts: 1, breaker: { failures: 1, halfOpenAfterMs: 50 }, maxRetryAfterMs: 600 });
    server.replies = [{ status: 503, headers: { 'retry-after': '30' } }];
    await failure(post(erp));
    await new Promise((r) => setTimeout(r, 150));
    expect(((await failure(post(erp))) as ErpUnavailableError).reason).toBe('circuit_open');
    await new Promise((r) => setTimeout(r, 500));
    await expect(post(erp)).resolves.toMatchObject({ status: 200 });
  });
});
