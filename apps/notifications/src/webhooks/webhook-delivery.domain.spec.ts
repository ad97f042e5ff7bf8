import { DomainError } from '@crm/domain';
import { checkReplay, countDead, decideAttempt, disabledTrigger, retryAfterMs, uuidV5 } from './webhook-delivery.domain';

const policy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 3_600_000 };
const now = new Date('2026-03-01T00:00:00.000Z');
const answered = (status: number, retryAfter: string | null = null) => ({ kind: 'answered' as const, status, retryAfter });
const half = () => 0.5;

describe('decideAttempt', () => {
  it('a 2xx is sent', () => {
    expect(decideAttempt(answered(204), 1, policy, now)).toEqual({ kind: 'sent', status: 204 });
  });

  it('410 Gone stops at once, even on the first attempt', () => {
    expect(decideAttempt(answered(410), 1, policy, now).kind).toBe('gone');
  });

  it('other failures retry with exponential backoff and jitter', () => {
    const first = decideAttempt(answered(500), 1, policy, now, half);
    const third = decideAttempt({ kind: 'failed', error: 'connect ECONNREFUSED' }, 3, policy, now, half);
    expect(first).toEqual({ kind: 'retry', at: new Date(now.getTime() + 750), error: 'the receiver answered 500', status: 500 });
    expect(third).toMatchObject({ kind: 'retry', at: new Date(now.getTime() + 3000), error: 'connect ECONNREFUSED' });
  });

  it('honours a longer Retry-After on 429 and 503, not a shorter one', () => {
    expect(decideAttempt(answered(429, '120'), 1, policy, now, half)).toMatchObject({ at: new Date(now.getTime() + 120_000) });
    expect(decideAttempt(answered(503, '0'), 1, policy, now, half)).toMatchObject({ at: new Date(now.getTime() + 750) });
    // Only on 429 and 503: a 500 with Retry-After keeps the backoff.
    expect(decideAttempt(answered(500, '120'), 1, policy, now, half)).toMatchObject({ at: new Date(now.getTime() + 750) });
  });

  it('the last attempt failing is dead', () => {
    expect(decideAttempt(answered(500), 5, policy, now)).toMatchObject({ kind: 'dead', status: 500 });
    expect(decideAttempt({ kind: 'failed', error: 'timeout' }, 5, policy, now)).toMatchObject({ kind: 'dead', error: 'timeout (attempt 5 of 5)' });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, caps at a day, ignores nonsense', () => {
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs(new Date(now.getTime() + 60_000).toUTCString(), now)).toBe(60_000);
    expect(retryAfterMs('999999999', now)).toBe(24 * 3_600_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});

describe('countDead', () => {
  it('disables at the threshold', () => {
    expect(countDead(0, 3)).toEqual({ consecutiveFailures: 1, disable: false });
    expect(countDead(2, 3)).toEqual({ consecutiveFailures: 3, disable: true });
  });
});

describe('disabledTrigger', () => {
  const endpoint = { id: '0b8e6b8e-1c51-4a0e-9b0a-4f4f1f5a0c01', ownerUserId: 'u-1', ownerTeam: null, url: 'https://x.example/h' };

  it('tells the owner, under an event id fixed by the endpoint and the time of the disable', () => {
    const t = disabledTrigger(endpoint, 'gone', now);
    expect(t).toMatchObject({
      eventType: 'webhook.disabled',
      record: { kind: 'webhook_endpoint', id: endpoint.id },
      data: { ownerUserId: 'u-1', url: endpoint.url, reason: 'gone' },
    });
    expect(t.eventId).toBe(disabledTrigger(endpoint, 'other words', now).eventId);
    expect(t.eventId).not.toBe(disabledTrigger(endpoint, 'gone', new Date(now.getTime() + 1)).eventId);
  });

  it("names the team of a team's endpoint", () => {
    expect(disabledTrigger({ ...endpoint, ownerUserId: null, ownerTeam: 'east' }, 'x', now).data).toEqual({
      ownerTeam: 'east',
      url: endpoint.url,
      reason: 'x',
    });
  });
});

describe('uuidV5', () => {
  it('matches the RFC 4122 v5 of a known name', () => {
    // uuid v5 of "www.example.com" in the DNS namespace, as every implementation gives it.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});

describe('checkReplay', () => {
  it('replays dead and cancelled deliveries of an enabled endpoint only', () => {
    expect(() => checkReplay('dead', true)).not.toThrow();
    expect(() => checkReplay('cancelled', true)).not.toThrow();
    expect(() => checkReplay('sent', true)).toThrow(expect.objectContaining({ code: 'DELIVERY_NOT_REPLAYABLE' }) as DomainError);
    expect(() => checkReplay('dead', false)).toThrow(expect.objectContaining({ code: 'ENDPOINT_DISABLED' }) as DomainError);
  });
});
