import { v5 } from 'uuid';
// What one webhook attempt's answer means for its ledger row and its endpoint, as pure functions.
import { DomainError } from '@crm/domain';
import { backoffDelay } from '@crm/messaging';
import type { Trigger } from '../fanout/fanout.domain';

/** What the receiver did: answered with a status, or never answered (timeout, refused, DNS, TLS). */
export type AttemptResult = { kind: 'answered'; status: number; retryAfter: string | null } | { kind: 'failed'; error: string };

export type Outcome =
  | { kind: 'sent'; status: number }
  /** 410 Gone: the receiver asks never to be called again. */
  | { kind: 'gone'; status: number; error: string }
  | { kind: 'retry'; at: Date; error: string; status?: number }
  /** The last attempt failed: dead-lettered, replayable. */
  | { kind: 'dead'; error: string; status?: number };

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  /** The longest backoff between two attempts. */
  maxDelayMs: number;
}

/** A receiver's Retry-After is honoured up to a day; beyond that it is most likely a mistake. */
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3), as milliseconds from `now`; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (!header) return null;
  const value = header.trim();
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now.getTime();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : null;
}

/** `attempts` counts the attempt just made (the claim counted it). */
export function decideAttempt(result: AttemptResult, attempts: number, policy: RetryPolicy, now: Date, random = Math.random): Outcome {
  if (result.kind === 'answered' && result.status >= 200 && result.status < 300) return { kind: 'sent', status: result.status };
  if (result.kind === 'answered' && result.status === 410) return { kind: 'gone', status: 410, error: 'the receiver answered 410 Gone' };
  const status = result.kind === 'answered' ? result.status : undefined;
  const error = result.kind === 'answered' ? `the receiver answered ${result.status}` : result.error;
  if (attempts >= policy.maxAttempts) return { kind: 'dead', error: `${error} (attempt ${attempts} of ${policy.maxAttempts})`, status };
  let delay = backoffDelay(attempts, { initialMs: policy.baseDelayMs, maxMs: policy.maxDelayMs }, random);
  if (result.kind === 'answered' && (result.status === 429 || result.status === 503)) delay = Math.max(delay, retryAfterMs(result.retryAfter, now) ?? 0);
  return { kind: 'retry', at: new Date(now.getTime() + delay), error, status };
}

/** After one more dead message in a row: the endpoint's new count, and whether it is disabled now. */
export function countDead(consecutiveFailures: number, disableAfter: number): { consecutiveFailures: number; disable: boolean } {
  const next = consecutiveFailures + 1;
  return { consecutiveFailures: next, disable: next >= disableAfter };
}

export const deadReason = (count: number, lastError: string) => `${count} message(s) in a row could not be delivered; last: ${lastError}`.slice(0, 500);

// The namespace of name-based (v5) ids: the same disable always gets the same event id.
const DISABLE_NAMESPACE = 'a3f0c1d2-5b6e-4f70-8a91-b2c3d4e5f607';

export const uuidV5 = (name: string, namespace = DISABLE_NAMESPACE): string => v5(name, namespace);

/** The fan-out trigger that tells an endpoint's owner it was disabled (rule webhook-disabled). */
export function disabledTrigger(
  e: { id: string; ownerUserId: string | null; ownerTeam: string | null; url: string },
  reason: string,
  disabledAt: Date,
): Trigger {
  const owner = e.ownerUserId ? { ownerUserId: e.ownerUserId } : { ownerTeam: e.ownerTeam };
  return {
    eventId: uuidV5(`${e.id}:${disabledAt.toISOString()}`),
    eventType: 'webhook.disabled',
    occurredAt: disabledAt,
    record: { kind: 'webhook_endpoint', id: e.id },
    data: { ...owner, url: e.url, reason },
  };
}

/** Only a dead or cancelled message goes out again, and only to an endpoint that is on. */
export function checkReplay(status: string, endpointEnabled: boolean): void {
  if (status !== 'dead' && status !== 'cancelled') {
    throw DomainError.conflict('DELIVERY_NOT_REPLAYABLE', `Only a dead or cancelled delivery can be replayed; this one is ${status}.`);
  }
  if (!endpointEnabled) throw DomainError.conflict('ENDPOINT_DISABLED', 'The endpoint is disabled; enable it before replaying its deliveries.');
}
