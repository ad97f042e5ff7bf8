import type { FastifyInstance } from 'fastify';
import type { MetricsRegistry } from './metrics.registry';

type HttpLabel = 'method' | 'route' | 'status_code';

// Scrapes would otherwise dominate the request counts and hide real traffic.
const UNCOUNTED_ROUTES = new Set(['/metrics']);

/**
 * HTTP RED metrics, labelled by the matched route's template (bounded by the number of routes; a miss is
 * `unmatched`), recorded when the response is sent, so 401s, 404s and body-parser refusals count too.
 */
export function installHttpMetricsHooks(fastify: FastifyInstance, metrics: MetricsRegistry): void {
  const labelNames: HttpLabel[] = ['method', 'route', 'status_code'];
  // A request is recorded once, in the histogram; the counter is its `_count`, copied when scraped (prom-client
  // hashes and checks the labels on every update, so two metrics per request cost that twice).
  metrics.counter({
    name: 'http_requests_total',
    help: 'HTTP requests handled, by method, route template and status code',
    labelNames,
    async collect() {
      const counts = (await duration.get()).values.filter((sample) => sample.metricName === 'http_request_duration_seconds_count');
      this.reset();
      for (const { labels, value } of counts) this.inc(labels as Partial<Record<HttpLabel, string>>, value);
    },
  });
  const duration = metrics.histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route template and status code',
    labelNames,
  });
  fastify.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url;
    if (!route || !UNCOUNTED_ROUTES.has(route)) {
      const labels = { method: req.method, route: route ?? 'unmatched', status_code: String(reply.statusCode) };
      duration.observe(labels, reply.elapsedTime / 1000);
    }
    done();
  });
}
