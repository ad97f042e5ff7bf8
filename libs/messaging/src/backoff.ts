export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/** Exponential backoff for attempt 1, 2, 3…, capped, with jitter over its upper half so retries spread out. */
export function backoffDelay(attempt: number, { initialMs, maxMs }: BackoffOptions, random = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** (attempt - 1));
  return Math.round(base / 2 + (random() * base) / 2);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
