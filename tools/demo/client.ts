// The demo's way to the API: the typed client (@crm/api-client) against one origin, the gateway (GATEWAY_URL),
// with a bearer token per actor. Its fetch adds what a loader needs on a busy machine: an Idempotency-Key on every
// POST, kept for all attempts of that call; waits and repeats on 429, 503 and a key still in flight; a read repeated
// when no answer came. `send` stops the script loudly (method, URL, status, problem) on the first answer it did not
// expect, and repeats an answer that means "not yet" (another service has not seen the event).
import { ApiProblem, createCrmClient, idempotencyKey, unwrap, type ApiResult, type CrmClient } from '@crm/api-client';
import type { Role } from '@crm/http';
import { signLocalToken } from '../token';

/** The gateway: every service's API on one origin (tools/start.sh starts it). */
export const GATEWAY_URL = (process.env.GATEWAY_URL?.trim() || 'http://127.0.0.1:8080').replace(/\/+$/, '');

/** Who makes a call: the JWT `sub` (a rep's id for reps and managers), roles and team. */
export interface Actor {
  sub: string;
  roles: Role[];
  team?: string;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Requests sent, every attempt counted: the summary prints them. */
export const traffic = { requests: 0 };

/** Answers that came after a 503 was retried: such a write may have been applied by the first attempt. */
const afterRetried503 = new WeakSet<Response>();

async function patientFetch(request: Request): Promise<Response> {
  // One key for every attempt of this call: where the route honours Idempotency-Key, a repeat is answered from the
  // first attempt instead of being applied twice.
  if (request.method === 'POST' && !request.headers.has('Idempotency-Key')) request.headers.set('Idempotency-Key', idempotencyKey()['Idempotency-Key']);
  let retried503 = false;
  for (let attempt = 0; ; attempt++) {
    traffic.requests++;
    let res: Response;
    try {
      // Two minutes: a year of history in one import on a loaded two-core machine (a test beside a running system)
      // has taken longer than 30 s; a write given up on cannot be sent again blindly.
      res = await fetch(request.clone(), { signal: AbortSignal.timeout(120_000) });
    } catch (err) {
      // Only a read is safe to repeat blindly; a write that may have happened must not be sent twice.
      if (request.method === 'GET' && attempt < 3) {
        await sleep(300 * (attempt + 1));
        continue;
      }
      throw new Error(`no answer: ${request.method} ${request.url}: ${String((err as Error).cause ?? err)}`);
    }
    const retryAfter = Number(res.headers.get('Retry-After') ?? 1);
    // 429: the per-client rate limit; the request was not processed, so waiting and repeating is safe.
    if (res.status === 429 && attempt < 5) {
      await sleep(1000 * retryAfter);
      continue;
    }
    // 503: a service's database did not answer in time (an overloaded machine); it asks to retry later.
    // 409 IDEMPOTENCY_KEY_IN_FLIGHT: the first attempt of this call is still running on the server.
    const inFlight = res.status === 409 && (await res.clone().text()).includes('IDEMPOTENCY_KEY_IN_FLIGHT');
    if ((res.status === 503 || inFlight) && attempt < 8) {
      retried503 = true;
      await sleep(1000 * Math.min(3, retryAfter));
      continue;
    }
    if (retried503) afterRetried503.add(res);
    return res;
  }
}

const clients = new Map<string, CrmClient>();

/** The client of one actor (a token of two hours), or of nobody: the signed web-form intake needs no token. */
export function api(actor?: Actor): CrmClient {
  const key = actor ? `${actor.sub}|${actor.roles.join(',')}|${actor.team ?? ''}` : '';
  let client = clients.get(key);
  if (!client) {
    const token = actor && signLocalToken({ sub: actor.sub, roles: actor.roles, ...(actor.team && { team: actor.team }) }, 2);
    clients.set(key, (client = createCrmClient({ baseUrl: GATEWAY_URL, token, fetch: patientFetch })));
  }
  return client;
}

export interface SendOptions<R> {
  /** Statuses that are a normal answer; anything else stops the script. Default: any success. */
  expect?: number[];
  /** An answer that means "not yet" (another service has not seen the event): sent again until `patienceMs`. */
  notYet?: (result: R) => boolean;
  patienceMs?: number;
}

/** Sends a call (again while its answer means "not yet") and returns its answer, or throws the one not expected. */
export async function send<R extends ApiResult>(call: () => Promise<R>, opts: SendOptions<R> = {}): Promise<R> {
  const deadline = Date.now() + (opts.patienceMs ?? 30_000);
  for (let attempt = 0; ; attempt++) {
    const result = await call();
    if (opts.notYet?.(result) && Date.now() < deadline) {
      await sleep(Math.min(1000, 100 * 2 ** Math.min(attempt, 4)));
      continue;
    }
    const { status } = result.response;
    if (opts.expect ? opts.expect.includes(status) : result.response.ok) return result;
    const problem = new ApiProblem(result.response, result.error);
    if (afterRetried503.has(result.response) && problem.method !== 'GET')
      throw new Error(`unexpected answer to a retry after 503 (the first attempt may have been applied): ${problem.message}`, { cause: problem });
    throw problem;
  }
}

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
