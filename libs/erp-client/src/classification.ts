import { backoffDelay, type BackoffOptions } from '@crm/messaging';

/**
 * What an ERP answer means for the event that caused the call. One table for every ERP adapter:
 * - `ok`: an answer for the caller (2xx, or a status the call expects, such as 409 "insufficient").
 * - `rejected`: the ERP names this request as invalid (400, 409, 422, or 404 on a path naming one record):
 *   sending it again changes nothing, so the event is dead-lettered with the reason.
 * - `unavailable`: anything else (401/403 credentials, 408/429/5xx, a 404 on a collection path, a status we do
 *   not speak, a network error or a timeout): not the event's fault, so the caller waits and alerts.
 */
export type AnswerClass = { kind: 'ok' } | { kind: 'rejected' } | { kind: 'unavailable'; retryInCall: boolean; problem: string };

export interface ClassifyOptions {
  /** Statuses besides 2xx that are answers for the caller. */
  accept?: readonly number[];
  /** The path names one record: a 404 means that record does not exist, not a wrong base URL. */
  recordPath?: boolean;
}

export function classifyStatus(status: number, options: ClassifyOptions = {}): AnswerClass {
  if ((status >= 200 && status < 300) || options.accept?.includes(status)) return { kind: 'ok' };
  if (status === 400 || status === 409 || status === 422 || (status === 404 && options.recordPath)) return { kind: 'rejected' };
  if (status === 401 || status === 403) return { kind: 'unavailable', retryInCall: false, problem: `refused our credentials (HTTP ${status})` };
  // Overloaded or down: worth another try within the call.
  if (status >= 500 || status === 408 || status === 429) return { kind: 'unavailable', retryInCall: true, problem: `answered ${status}` };
  // 3xx, 404 on a collection, 405, 415 …: client and ERP disagree on the protocol (a wrong URL, an ERP upgrade).
  return { kind: 'unavailable', retryInCall: false, problem: `answered ${status}, which this client does not expect` };
}

/** Retry-After as milliseconds from `now`: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // An HTTP date starts with the day name; anything else (a negative number, say) is unreadable.
  const at = /^[A-Za-z]/.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The wait before retry `attempt` (1 = the first retry): the ERP's Retry-After when it sent one, capped at
 * `maxRetryAfterMs` (the call runs inside the event's transaction); else exponential back-off with jitter over
 * the upper half, within [initialMs/2, maxMs].
 */
export function retryDelay(attempt: number, backoff: BackoffOptions, retryAfterMs: number | undefined, maxRetryAfterMs: number, random = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, maxRetryAfterMs);
  return backoffDelay(attempt, backoff, random);
}
