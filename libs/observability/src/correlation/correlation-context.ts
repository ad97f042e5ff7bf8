import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span } from '@opentelemetry/api';

export const CORRELATION_ID_HEADER = 'x-correlation-id';

export interface CorrelationContext {
  readonly correlationId: string;
  /** The id of the event being handled, if any: events it causes name it as their causation. */
  readonly causationId?: string;
  /** Where an HTTP request came from (the audit trail's "from where"); absent for events. */
  readonly clientIp?: string;
  readonly userAgent?: string;
  /** The verified caller, set once by the auth guard (a field set, no extra async context). */
  user?: { readonly sub: string; readonly roles: readonly string[] };
  /**
   * The span the work belongs to, when tracing is on: OTel's own context would need a second AsyncLocalStorage
   * per request, so the span rides here instead (docs/decisions/0028).
   */
  readonly span?: Span;
}

// An object rather than a bare string, so more request-scoped fields can join later without a new API.
export const correlationStorage = new AsyncLocalStorage<CorrelationContext>();

// Bounded charset and length: the id is copied into log lines, headers and event envelopes,
// so a caller must not be able to inject newlines, markup or megabytes through it.
const SANE_CORRELATION_ID = /^[A-Za-z0-9\-_.:]{1,128}$/;

export function isSaneCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && SANE_CORRELATION_ID.test(value);
}

export function runWithCorrelation<T>(correlationId: string, fn: () => T, causationId?: string, span?: Span): T {
  return correlationStorage.run(span ? { correlationId, causationId, span } : { correlationId, causationId }, fn);
}

/** Runs an HTTP request's work with its correlation id and where it came from. */
export function runWithRequest<T>(correlationId: string, client: { clientIp?: string; userAgent?: string }, fn: () => T): T {
  return correlationStorage.run({ correlationId, ...client }, fn);
}

/** Records the verified caller on the current request's context (the auth guard calls it). */
export function setCurrentUser(user: { sub: string; roles: readonly string[] }): void {
  const store = correlationStorage.getStore();
  if (store) store.user = user;
}

/** The request being served: its correlation id, client address, user agent and caller, as far as known. */
export function currentRequest(): CorrelationContext | undefined {
  return correlationStorage.getStore();
}

// Addresses of the internal network: only a peer there (the gateway) is trusted to say who it forwards for.
const INTERNAL_PEER = /^(::1$|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|fc|fd|::ffff:(127|10|192\.168|172\.(1[6-9]|2\d|3[01]))\.)/i;

/**
 * The client's address: the peer's, unless the peer is on the internal network (the gateway) and sent
 * X-Forwarded-For, whose last entry is the address the gateway itself appended ($proxy_add_x_forwarded_for);
 * entries before it were written by the client and are ignored.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined): string | undefined {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  if (!header || !peer || !INTERNAL_PEER.test(peer)) return peer;
  const last = header.slice(header.lastIndexOf(',') + 1).trim();
  return /^[0-9a-f.:]{2,45}$/i.test(last) ? last : peer;
}

export function currentCorrelationId(): string | undefined {
  return correlationStorage.getStore()?.correlationId;
}

export function currentCausationId(): string | undefined {
  return correlationStorage.getStore()?.causationId;
}

/** The span of the request or event being handled; undefined when tracing is off. */
export function currentSpan(): Span | undefined {
  return correlationStorage.getStore()?.span;
}
