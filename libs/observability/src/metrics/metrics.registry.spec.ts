import { register as globalRegistry } from 'prom-client';
import { MetricsRegistry } from './metrics.registry';

describe('MetricsRegistry', () => {
  const create = (serviceName = 'orders') => new MetricsRegistry({ serviceName });

  it('hands out the same counter to every caller asking for the same name', async () => {
    const metrics = create();
    const first = metrics.counter({ name: 'events_total', help: 'events', labelNames: ['topic'] });
    const second = metrics.counter({ name: 'events_total', help: 'events', labelNames: ['topic'] });

    first.inc({ topic: 'a' });
    second.inc({ topic: 'a' });

    expect(second).toBe(first);
    expect(await metrics.metrics()).toContain('events_total{topic="a",service="orders"} 2');
  });

  it('shares gauges and histograms the same way', () => {
    const metrics = create();

    expect(metrics.gauge({ name: 'backlog', help: 'rows' })).toBe(metrics.gauge({ name: 'backlog', help: 'rows' }));
    expect(metrics.histogram({ name: 'seconds', help: 's' })).toBe(metrics.histogram({ name: 'seconds', help: 's' }));
  });

  it('refuses a name already taken by another metric type', () => {
    const metrics = create();
    metrics.counter({ name: 'lag', help: 'lag' });

    expect(() => metrics.gauge({ name: 'lag', help: 'lag' })).toThrow(/"lag" already exists/);
  });

  it('refuses a name already taken with other labels', () => {
    const metrics = create();
    metrics.counter({ name: 'dlq_total', help: 'dlq', labelNames: ['topic'] });

    expect(() => metrics.counter({ name: 'dlq_total', help: 'dlq', labelNames: ['consumer'] })).toThrow(/labels \[topic\]/);
  });

  it('collects default process metrics with the service label, outside the global registry', async () => {
    const metrics = create('billing');
    metrics.counter({ name: 'only_here_total', help: 'x' });

    const text = await metrics.metrics();
    expect(text).toMatch(/process_resident_memory_bytes\{service="billing"\} \d+/);
    expect(globalRegistry.getSingleMetric('only_here_total')).toBeUndefined();
  });

  it('keeps instances apart', async () => {
    const a = create('a');
    const b = create('b');
    a.counter({ name: 'a_total', help: 'a' });

    expect(b.registry.getSingleMetric('a_total')).toBeUndefined();
    expect(a.registry).not.toBe(b.registry);
  });
});
