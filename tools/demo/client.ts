// HTTP client for the demo loader: only the services' public APIs, over fetch. Bearer tokens per actor,
// ETag capture for If-Match, bounded retries for throttling and for eventual consistency, and a loud
// failure (method, URL, status, problem body) on the first answer the script did not expect.
import { randomUUID } from 'node:crypto';
import type { Role } from '@crm/http';
import { DEFAULT_PORTS } from '@crm/platform';
import { signLocalToken } from '../token';

export type Service = keyof typeof DEFAULT_PORTS;

/** Same rule as tools/start.sh: <SERVICE>_PORT, else the service's default port (DEFAULT_PORTS). */
export function baseUrl(service: Service): string {
  const port = process.env[`${service.toUpperCase()}_PORT`] ?? DEFAULT_PORTS[service];
  return `http://127.0.0.1:${port}`;
}

/** Who makes a call: the JWT `sub` (a rep's id for reps and managers), roles and team. */
export interface Actor {
  sub: string;
  roles: Role[];
  team?: string;
}

export interface Reply<T = any> {
  status: number;
  body: T;
  /** The version number inside the ETag ("3" → 3 is what If-Match wants back verbatim). */
  etag?: string;
}

export interface CallOptions<T = any> {
  as?: Actor;
  body?: unknown;
  /** Sent as is with this content type (CSV, or a web-form body that is signed byte for byte). */
  raw?: { text: string; contentType: string };
  headers?: Record<string, string>;
  ifMatch?: string;
  /** Statuses that are a normal answer; anything else stops the script. Default 200 and 201. */
  expect?: number[];
  /** An answer that means "not yet" (another service has not seen the event): retried until `patienceMs`. */
  notYet?: (reply: Reply<T>) => boolean;
  patienceMs?: number;
}

export class UnexpectedAnswer extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly problem: unknown,
    readonly why = 'unexpected answer',
  ) {
    super(`${why}: ${method} ${url} → ${status}\n${typeof problem === 'string' ? problem : JSON.stringify(problem, null, 2)}`);
  }
}

const tokens = new Map<string, string>();
function tokenFor(actor: Actor): string {
  const key = `${actor.sub}|${actor.roles.join(',')}|${actor.team ?? ''}`;
  let token = tokens.get(key);
  if (!token) tokens.set(key, (token = signLocalToken({ sub: actor.sub, roles: actor.roles, ...(actor.team && { team: actor.team }) }, 2)));
  return token;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Requests made, per service: the summary prints them. */
export const requestCounts: Record<string, number> = {};

export async function call<T = any>(method: string, service: Service, path: string, opts: CallOptions<T> = {}): Promise<Reply<T>> {
  const url = `${baseUrl(service)}${path}`;
  const expect = opts.expect ?? [200, 201];
  const deadline = Date.now() + (opts.patienceMs ?? 30_000);
  // One key for every attempt of this call: where the route honours Idempotency-Key, a repeat is answered
  // from the first attempt instead of being applied twice.
  const idempotencyKey = method === 'POST' ? randomUUID() : undefined;
  let retriedAfter503 = false;
  for (let attempt = 0; ; attempt++) {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    if (opts.as) headers.authorization = `Bearer ${tokenFor(opts.as)}`;
    if (opts.ifMatch) headers['if-match'] = opts.ifMatch;
    let body: string | undefined;
    if (opts.raw) {
      headers['content-type'] = opts.raw.contentType;
      body = opts.raw.text;
    } else if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    requestCounts[service] = (requestCounts[service] ?? 0) + 1;
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(30_000) });
    } catch (err) {
      // Only a read is safe to repeat blindly; a write that may have happened must not be sent twice.
      if (method === 'GET' && attempt < 3) {
        await sleep(300 * (attempt + 1));
        continue;
      }
      throw new UnexpectedAnswer(method, url, 0, String((err as Error).cause ?? err), 'no answer');
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text for the error message */
    }
    const reply: Reply<T> = { status: res.status, body: parsed as T, etag: res.headers.get('etag') ?? undefined };
    // 429: the per-client rate limit; the request was not processed, so waiting and repeating is safe.
    if (res.status === 429 && attempt < 5) {
      await sleep(1000 * Number(res.headers.get('retry-after') ?? 1));
      continue;
    }
    // 503: the service's database did not answer in time (an overloaded machine); it asks to retry later.
    // 409 IDEMPOTENCY_KEY_IN_FLIGHT: the first attempt of this call is still running on the server.
    const inFlight = res.status === 409 && (parsed as { code?: string } | undefined)?.code === 'IDEMPOTENCY_KEY_IN_FLIGHT';
    if ((res.status === 503 || inFlight) && attempt < 8) {
      retriedAfter503 = true;
      await sleep(1000 * Math.min(3, Number(res.headers.get('retry-after') ?? 1)));
      continue;
    }
    if (opts.notYet?.(reply) && Date.now() < deadline) {
      await sleep(Math.min(1000, 100 * 2 ** Math.min(attempt, 4)));
      continue;
    }
    if (!expect.includes(res.status)) {
      // A 503 answer may still have committed (the database came back): a write's retry can then see its own effect.
      const why =
        retriedAfter503 && method !== 'GET' ? 'unexpected answer to a retry after 503 (the first attempt may have been applied)' : 'unexpected answer';
      throw new UnexpectedAnswer(method, url, res.status, parsed, why);
    }
    return reply;
  }
}

export const get = <T = any>(service: Service, path: string, opts?: CallOptions<T>) => call<T>('GET', service, path, opts);
export const post = <T = any>(service: Service, path: string, body?: unknown, opts?: CallOptions<T>) =>
  call<T>('POST', service, path, { ...opts, body: body ?? opts?.body });
export const patch = <T = any>(service: Service, path: string, body: unknown, opts?: CallOptions<T>) => call<T>('PATCH', service, path, { ...opts, body });
export const put = <T = any>(service: Service, path: string, body: unknown, opts?: CallOptions<T>) => call<T>('PUT', service, path, { ...opts, body });

/**
 * Polls `probe` until it returns something (the other service has applied the event), or fails naming
 * what it waited for. The services are eventually consistent through Kafka: seconds, not minutes.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(Math.min(1000, 100 * 2 ** Math.min(attempt, 4)));
  }
}

/** Every page of a cursor-paginated list. */
export async function listAll<T = any>(service: Service, path: string, as: Actor): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: Reply<{ items: T[]; nextCursor: string | null }> = await get(
      service,
      `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { as },
    );
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

/** Runs `fn` over `items`, at most `limit` at a time (the machine is shared: modest concurrency). */
export async function inParallel<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
