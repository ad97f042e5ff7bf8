import { AsyncLocalStorage } from 'node:async_hooks';

export const CORRELATION_ID_HEADER = 'x-correlation-id';

export interface CorrelationContext {
  readonly correlationId: string;
  /** The id of the event being handled, if any: events it causes name it as their causation. */
  readonly causationId?: string;
}

// An object rather than a bare string, so more request-scoped fields can join later without a new API.
export const correlationStorage = new AsyncLocalStorage<CorrelationContext>();

// Bounded charset and length: the id is copied into log lines, headers and event envelopes,
// so a caller must not be able to inject newlines, markup or megabytes through it.
const SANE_CORRELATION_ID = /^[A-Za-z0-9\-_.:]{1,128}$/;

export function isSaneCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && SANE_CORRELATION_ID.test(value);
}

export function runWithCorrelation<T>(correlationId: string, fn: () => T, causationId?: string): T {
  return correlationStorage.run({ correlationId, causationId }, fn);
}

export function currentCorrelationId(): string | undefined {
  return correlationStorage.getStore()?.correlationId;
}

export function currentCausationId(): string | undefined {
  return correlationStorage.getStore()?.causationId;
}
