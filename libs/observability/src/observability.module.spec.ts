import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createObservabilityTestApp, sampleValue, type LogCapture } from '../test/observability-test-app';
import { ReadinessRegistry } from './health/readiness.registry';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ObservabilityModule', () => {
  let app: INestApplication;
  let logs: LogCapture;

  afterEach(async () => {
    await app?.close();
  });

  describe('metrics', () => {
    beforeEach(async () => {
      ({ app, logs } = await createObservabilityTestApp({ serviceName: 'orders' }));
    });

    it('exposes default process metrics labelled with the service, as Prometheus text', async () => {
      const res = await request(app.getHttpServer()).get('/metrics').expect(200);

      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(sampleValue(res.text, 'process_cpu_user_seconds_total', { service: 'orders' })).toBeGreaterThanOrEqual(0);
      expect(res.text).toContain('nodejs_eventloop_lag_seconds');
    });

    it('counts requests by route template, not by raw URL', async () => {
      await request(app.getHttpServer()).get('/api/v1/things/42').expect(200);
      await request(app.getHttpServer()).get('/api/v1/things/43').expect(200);

      const { text } = await request(app.getHttpServer()).get('/metrics').expect(200);
      const labels = { method: 'GET', route: '/api/v1/things/:id', status_code: '200', service: 'orders' };
      expect(sampleValue(text, 'http_requests_total', labels)).toBe(2);
      expect(sampleValue(text, 'http_request_duration_seconds_count', labels)).toBe(2);
      expect(text).not.toContain('/api/v1/things/42');
    });

    it('labels requests that match no route as unmatched', async () => {
      await request(app.getHttpServer()).get('/no/such/path/123').expect(404);

      const { text } = await request(app.getHttpServer()).get('/metrics');
      expect(sampleValue(text, 'http_requests_total', { route: 'unmatched', status_code: '404' })).toBe(1);
      expect(text).not.toContain('/no/such/path');
    });

    it('does not count scrapes of /metrics itself', async () => {
      await request(app.getHttpServer()).get('/metrics');
      const { text } = await request(app.getHttpServer()).get('/metrics');

      expect(sampleValue(text, 'http_requests_total', { route: '/metrics' })).toBeUndefined();
    });

    it('exposes metrics created by feature modules through the shared registry', async () => {
      const { text } = await request(app.getHttpServer()).get('/metrics');

      expect(sampleValue(text, 'things_viewed_total', { service: 'orders' })).toBe(0);
    });
  });

  it('gives two apps in one process separate registries', async () => {
    const first = await createObservabilityTestApp({ serviceName: 'first' });
    const second = await createObservabilityTestApp({ serviceName: 'second' });
    app = first.app;
    try {
      await request(first.app.getHttpServer()).get('/api/v1/things/1').expect(200);

      const firstText = (await request(first.app.getHttpServer()).get('/metrics')).text;
      const secondText = (await request(second.app.getHttpServer()).get('/metrics')).text;
      expect(sampleValue(firstText, 'http_requests_total', { route: '/api/v1/things/:id' })).toBe(1);
      expect(sampleValue(secondText, 'http_requests_total', { route: '/api/v1/things/:id' })).toBeUndefined();
      expect(secondText).toContain('service="second"');
      expect(secondText).not.toContain('service="first"');
    } finally {
      await second.app.close();
    }
  });

  describe('correlation id', () => {
    beforeEach(async () => {
      ({ app, logs } = await createObservabilityTestApp({ serviceName: 'orders' }));
    });

    it('echoes a sane incoming id and runs the request inside it', async () => {
      const res = await request(app.getHttpServer()).get('/api/v1/things/7').set('x-correlation-id', 'req-7.abc:1_x').expect(200);

      expect(res.headers['x-correlation-id']).toBe('req-7.abc:1_x');
      expect(res.body.correlationId).toBe('req-7.abc:1_x');
    });

    it('generates a UUID when the header is absent', async () => {
      const res = await request(app.getHttpServer()).get('/api/v1/things/7').expect(200);

      expect(res.headers['x-correlation-id']).toMatch(UUID);
      expect(res.body.correlationId).toBe(res.headers['x-correlation-id']);
    });

    it.each([
      ['too long', 'a'.repeat(129)],
      ['unsafe characters', 'abc<script>'],
    ])('replaces an incoming id that is %s', async (_why, value) => {
      const res = await request(app.getHttpServer()).get('/api/v1/things/7').set('x-correlation-id', value);

      expect(res.headers['x-correlation-id']).toMatch(UUID);
    });

    it('puts the id on log lines written during the request', async () => {
      await request(app.getHttpServer()).get('/api/v1/things/9').set('x-correlation-id', 'corr-9').expect(200);

      const line = logs.lines.find((l) => l.msg === 'loading thing 9');
      expect(line).toMatchObject({
        service: 'orders',
        level: 'info',
        context: 'ThingsController',
        correlationId: 'corr-9',
      });
      expect(typeof line?.time).toBe('string');
    });

    it('sets the id on the response of a request no route matches', async () => {
      const res = await request(app.getHttpServer()).get('/nowhere').set('x-correlation-id', 'lost-1').expect(404);

      expect(res.headers['x-correlation-id']).toBe('lost-1');
    });
  });

  describe('health', () => {
    beforeEach(async () => {
      ({ app, logs } = await createObservabilityTestApp({ readinessTimeoutMs: 300 }));
    });

    it('reports live while the process runs', async () => {
      const res = await request(app.getHttpServer()).get('/health/live').expect(200);

      expect(res.body).toEqual({ status: 'ok' });
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('is ready with per-check status when every registered check passes', async () => {
      const readiness = app.get(ReadinessRegistry);
      readiness.register({ name: 'broker', check: async () => undefined });
      readiness.register({ name: 'cache', check: async () => undefined });

      const res = await request(app.getHttpServer()).get('/health/ready').expect(200);

      expect(res.body.status).toBe('ok');
      expect(res.body.details).toMatchObject({ broker: { status: 'up' }, cache: { status: 'up' } });
      expect(res.headers['cache-control']).toMatch(/no-store/);
    });

    it('is ready when nothing is registered and the app has no database', async () => {
      const res = await request(app.getHttpServer()).get('/health/ready').expect(200);

      expect(res.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
    });

    it('answers 503 naming the failing check', async () => {
      const readiness = app.get(ReadinessRegistry);
      readiness.register({ name: 'cache', check: async () => undefined });
      readiness.register({
        name: 'broker',
        check: async () => {
          throw new Error('no broker reachable');
        },
      });

      const res = await request(app.getHttpServer()).get('/health/ready').expect(503);

      expect(res.body.status).toBe('error');
      expect(res.body.error).toEqual({ broker: expect.objectContaining({ status: 'down', message: 'no broker reachable' }) });
      expect(res.body.details.cache.status).toBe('up');
    });

    it('answers 503 within the timeout when a check hangs', async () => {
      app.get(ReadinessRegistry).register({ name: 'stuck', check: () => new Promise<void>(() => undefined) });

      const startedAt = Date.now();
      const res = await request(app.getHttpServer()).get('/health/ready').expect(503);

      expect(Date.now() - startedAt).toBeLessThan(2000);
      expect(res.body.error.stuck).toMatchObject({ status: 'down', message: 'timeout of 300ms exceeded' });
    });
  });

  describe('in an app with a global prefix that leaves the ops routes outside it', () => {
    beforeEach(async () => {
      ({ app, logs } = await createObservabilityTestApp({ globalPrefix: 'api/v1' }));
    });

    it('serves the ops routes unprefixed and labels business routes with the prefixed template', async () => {
      await request(app.getHttpServer()).get('/health/live').expect(200);
      const res = await request(app.getHttpServer()).get('/api/v1/things/5').expect(200);
      await request(app.getHttpServer()).get('/api/v1/nothing-here').expect(404);

      const { text } = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(res.headers['x-correlation-id']).toMatch(UUID);
      expect(sampleValue(text, 'http_requests_total', { route: '/api/v1/things/:id', status_code: '200' })).toBe(1);
      expect(sampleValue(text, 'http_requests_total', { route: '/health/live', status_code: '200' })).toBe(1);
      expect(sampleValue(text, 'http_requests_total', { route: 'unmatched', status_code: '404' })).toBe(1);
    });
  });

  describe('with an app-wide exception filter that reshapes HTTP errors', () => {
    beforeEach(async () => {
      ({ app, logs } = await createObservabilityTestApp({ withProblemFilter: true, readinessTimeoutMs: 300 }));
    });

    it('keeps the per-check readiness body on 503', async () => {
      app.get(ReadinessRegistry).register({ name: 'broker', check: () => Promise.reject(new Error('down')) });

      const res = await request(app.getHttpServer()).get('/health/ready').expect(503);

      expect(res.body.error.broker).toMatchObject({ status: 'down', message: 'down' });
    });
  });

  describe('behind an auth guard that only lets public routes through', () => {
    beforeEach(async () => {
      ({ app, logs } = await createObservabilityTestApp({ withAuthGuard: true }));
    });

    it.each(['/health/live', '/health/ready', '/metrics'])('serves %s without credentials', async (path) => {
      await request(app.getHttpServer()).get(path).expect(200);
    });

    it('still guards the other routes, and counts the rejection under its template', async () => {
      await request(app.getHttpServer()).get('/api/v1/things/1').expect(403);

      const { text } = await request(app.getHttpServer()).get('/metrics');
      expect(sampleValue(text, 'http_requests_total', { route: '/api/v1/things/:id', status_code: '403' })).toBe(1);
    });
  });
});
