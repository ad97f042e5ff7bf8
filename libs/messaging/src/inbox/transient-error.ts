import { ContractViolationError } from '@crm/contracts';
import { DomainError } from '@crm/domain';

// SQLSTATE classes and node socket errors that mean "the database is unreachable or overloaded",
// not "this message is bad": waiting fixes them, dead-lettering would lose good events.
const TRANSIENT_SQLSTATE = /^(08|53|57P0[123])/;
const TRANSIENT_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const TRANSIENT_MESSAGE = /Connection terminated|connection timeout|timeout exceeded when trying to connect/i;

/**
 * Thrown by a handler whose downstream dependency (an external ERP, say) is unreachable: like a database
 * outage, the partition waits and retries; the event is never dead-lettered for it.
 */
export class DependencyUnavailableError extends Error {
  override name = 'DependencyUnavailableError';
}

/** A handler error that retrying cannot fix: the message goes to the DLQ at once. */
export class NonRetryableError extends Error {
  override name = 'NonRetryableError';
}

/**
 * The event itself is refused, so a retry would be refused again: an explicit NonRetryableError, a domain
 * refusal decided from the event (DomainError), or a payload that breaks its contract.
 */
export function refusedForGood(error: unknown): boolean {
  return error instanceof NonRetryableError || error instanceof DomainError || error instanceof ContractViolationError;
}

export function isTransientInfrastructureError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof DependencyUnavailableError) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_SOCKET.has(code))) return true;
  return TRANSIENT_MESSAGE.test(error.message);
}
