import { assertApiConventionsOptions } from './api-conventions.options';

describe('assertApiConventionsOptions', () => {
  it('accepts a 32-character secret', () => {
    expect(() => assertApiConventionsOptions({ jwtSecret: 's'.repeat(32) })).not.toThrow();
  });

  it.each([undefined, '', 'short-secret'])('fails at boot on a missing or short secret (%p)', (jwtSecret) => {
    expect(() => assertApiConventionsOptions({ jwtSecret } as never)).toThrow(/jwtSecret/);
  });

  it.each(['inFlightTimeoutMs', 'retentionMs', 'purgeIntervalMs'])('fails at boot on a nonsensical idempotency.%s', (name) => {
    expect(() => assertApiConventionsOptions({ jwtSecret: 's'.repeat(32), idempotency: { [name]: 0 } })).toThrow(new RegExp(name));
    expect(() => assertApiConventionsOptions({ jwtSecret: 's'.repeat(32), idempotency: { [name]: 1.5 } })).toThrow(new RegExp(name));
  });
});
