import { DependencyUnavailableError, NonRetryableError } from '@crm/messaging';

export type UnavailableReason = 'status' | 'network' | 'timeout' | 'unreadable' | 'circuit_open';

/** The ERP cannot be used now: the consuming partition waits and retries; never a dead letter. */
export class ErpUnavailableError extends DependencyUnavailableError {
  constructor(
    message: string,
    readonly reason: UnavailableReason,
    readonly details: { status?: number; retryAfterMs?: number; retryInCall?: boolean } = {},
  ) {
    super(message);
  }
}

/** The ERP named the request invalid: the same event would be refused again, so it is dead-lettered with this. */
export class ErpRejectedError extends NonRetryableError {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(message);
  }
}
