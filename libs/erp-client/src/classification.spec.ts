import { classifyStatus, parseRetryAfter, retryDelay } from './classification';

describe('classifyStatus: one table for every ERP adapter', () => {
  const kind = (status: number, options?: Parameters<typeof classifyStatus>[1]) => {
    const verdict = classifyStatus(status, options);
    return verdict.kind === 'unavailable' ? `unavailable${verdict.retryInCall ? '+retry' : ''}` : verdict.kind;
  };

  it.each([
    [200, 'ok'],
    [201, 'ok'],
    [204, 'ok'],
    // The ERP names the request invalid: dead-letter with the reason.
    [400, 'rejected'],
    [409, 'rejected'],
    [422, 'rejected'],
    // Our credentials (a rotated token): wait and alert; another try with the same token within the call is pointless.
    [401, 'unavailable'],
    [403, 'unavailable'],
    // Down, slow or overloaded: retried within the call, then wait.
    [408, 'unavailable+retry'],
    [429, 'unavailable+retry'],
    [500, 'unavailable+retry'],
    [502, 'unavailable+retry'],
    [503, 'unavailable+retry'],
    [504, 'unavailable+retry'],
    // A status this client does not speak: a wrong URL or an ERP upgrade, not the event's fault.
    [301, 'unavailable'],
    [405, 'unavailable'],
    [415, 'unavailable'],
  ])('HTTP %i is %s', (status, expected) => {
    expect(kind(status)).toBe(expected);
  });

  it('reads a 404 as "no such record" only on a path that names one; elsewhere it is a wrong URL (wait)', () => {
    expect(kind(404, { recordPath: true })).toBe('rejected');
    expect(kind(404)).toBe('unavailable');
  });

  it('lets a call accept a status as an answer (a 409 "insufficient" is a result, not a refusal)', () => {
    expect(kind(409, { accept: [409] })).toBe('ok');
    expect(kind(409)).toBe('rejected');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');

  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Tue, 10 Mar 2026 12:00:07 GMT', now)).toBe(7_000);
    // A date already past means "now".
    expect(parseRetryAfter('Tue, 10 Mar 2026 11:59:00 GMT', now)).toBe(0);
  });

  it('ignores an absent or unreadable value', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('retryDelay', () => {
  const backoff = { initialMs: 100, maxMs: 800 };

  it('honours Retry-After, capped', () => {
    expect(retryDelay(1, backoff, 2_500, 10_000)).toBe(2_500);
    expect(retryDelay(1, backoff, 60_000, 10_000)).toBe(10_000);
    expect(retryDelay(3, backoff, 0, 10_000)).toBe(0);
  });

  it('backs off exponentially with jitter over the upper half, never past maxMs', () => {
    expect([1, 2, 3, 4, 5].map((a) => retryDelay(a, backoff, undefined, 10_000, () => 0))).toEqual([50, 100, 200, 400, 400]);
    expect([1, 2, 3, 4, 5].map((a) => retryDelay(a, backoff, undefined, 10_000, () => 1))).toEqual([100, 200, 400, 800, 800]);
    for (let i = 0; i < 500; i++) {
      const attempt = 1 + (i % 6);
      const base = Math.min(800, 100 * 2 ** (attempt - 1));
      const delay = retryDelay(attempt, backoff, undefined, 10_000);
      expect(delay).toBeGreaterThanOrEqual(base / 2);
      expect(delay).toBeLessThanOrEqual(base);
    }
    // Spread: not every retry waits the same.
    expect(new Set(Array.from({ length: 50 }, () => retryDelay(3, backoff, undefined, 10_000))).size).toBeGreaterThan(5);
  });
});
