import { DEFAULT_RATE_LIMIT, rateLimitFromEnv } from './rate-limit';

describe('rate limit settings', () => {
  it('defaults generously, reads RATE_LIMIT_PER_MINUTE, and 0 turns it off', () => {
    expect(rateLimitFromEnv({})).toEqual(DEFAULT_RATE_LIMIT);
    expect(rateLimitFromEnv({ RATE_LIMIT_PER_MINUTE: '' })).toEqual(DEFAULT_RATE_LIMIT);
    expect(rateLimitFromEnv({ RATE_LIMIT_PER_MINUTE: '120' })).toEqual({ limit: 120, windowMs: 60_000 });
    expect(rateLimitFromEnv({ RATE_LIMIT_PER_MINUTE: '0' })).toEqual({ limit: 0, windowMs: 60_000 });
  });

  it('stops the boot on a value that is not a whole number', () => {
    for (const bad of ['-1', '1.5', 'lots']) expect(() => rateLimitFromEnv({ RATE_LIMIT_PER_MINUTE: bad })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });
});
