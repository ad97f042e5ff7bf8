import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { Request, Response, NextFunction } from 'express';
import type { Counter, Histogram } from 'prom-client';
import { MetricsRegistry } from './metrics.registry';

type HttpLabel = 'method' | 'route' | 'status_code';

const SKIP_HTTP_METRICS = Symbol('skipHttpMetrics');

// Scrapes would otherwise dominate the request counts and hide real traffic.
export function excludeFromHttpMetrics(req: Request): void {
  (req as unknown as Record<symbol, boolean>)[SKIP_HTTP_METRICS] = true;
}

/** HTTP RED metrics, labelled by route template so label cardinality stays bounded by the number of routes. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  private readonly requests: Counter<HttpLabel>;
  private readonly duration: Histogram<HttpLabel>;

  constructor(metrics: MetricsRegistry) {
    const labelNames: HttpLabel[] = ['method', 'route', 'status_code'];
    this.requests = metrics.counter({
      name: 'http_requests_total',
      help: 'HTTP requests handled, by method, route template and status code',
      labelNames,
    });
    this.duration = metrics.histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method, route template and status code',
      labelNames,
    });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const startedAt = process.hrtime.bigint();
    // Recorded on finish, after routing, guards and exception filters, so 401s and 404s count too.
    res.once('finish', () => {
      if ((req as unknown as Record<symbol, boolean>)[SKIP_HTTP_METRICS]) return;
      const labels = { method: req.method, route: routeTemplate(req), status_code: String(res.statusCode) };
      this.requests.inc(labels);
      this.duration.observe(labels, Number(process.hrtime.bigint() - startedAt) / 1e9);
    });
    next();
  }
}

// The raw URL would create a series per id; the matched route's declared path does not.
// Nest mounts controller routes on the app itself, and under a global prefix adds a sub-router
// whose catch-all (`*path`) answers 404: a route reached through a sub-router is that catch-all.
function routeTemplate(req: Request): string {
  const path: unknown = req.route?.path;
  return typeof path === 'string' && !req.baseUrl ? path : 'unmatched';
}
