import { ReadinessRegistry } from './readiness.registry';

describe('ReadinessRegistry', () => {
  const ok = async () => undefined;

  it('lists checks in registration order', () => {
    const registry = new ReadinessRegistry();
    registry.register({ name: 'kafka', check: ok });
    registry.register({ name: 'cache', check: ok });

    expect(registry.checks().map((c) => c.name)).toEqual(['kafka', 'cache']);
  });

  it('refuses a second check with the same name', () => {
    const registry = new ReadinessRegistry();
    registry.register({ name: 'kafka', check: ok });

    expect(() => registry.register({ name: 'kafka', check: ok })).toThrow(/"kafka" is already registered/);
  });

  it('refuses the name of the built-in database check', () => {
    expect(() => new ReadinessRegistry().register({ name: 'database', check: ok })).toThrow(/"database" is reserved/);
  });
});
