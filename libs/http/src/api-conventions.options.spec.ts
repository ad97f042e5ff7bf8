import { assertApiConventionsOptions } from './api-conventions.options';

describe('assertApiConventionsOptions', () => {
  it('accepts a 32-character secret', () => {
    expect(() => assertApiConventionsOptions({ jwtSecret: 's'.repeat(32) })).not.toThrow();
  });

  it.each([undefined, '', 'short-secret'])('fails at boot on a missing or short secret (%p)', (jwtSecret) => {
    expect(() => assertApiConventionsOptions({ jwtSecret } as never)).toThrow(/jwtSecret/);
  });

  it('fails at boot on a nonsensical in-flight timeout', () => {
    expect(() => assertApiConventionsOptions({ jwtSecret: 's'.repeat(32), idempotency: { inFlightTimeoutMs: 0 } })).toThrow(/inFlightTimeoutMs/);
  });
});
