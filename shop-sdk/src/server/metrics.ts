import type { Request, RequestHandler } from 'express';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServiceMetrics {
  registry: Registry;
  recordRequests: RequestHandler;
}

/** Process metrics and a latency histogram per route, labelled with the service for Prometheus. */
export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const recordRequests: RequestHandler = (req, res, next) => {
    const stop = duration.startTimer();
    const route = captureRoutePattern(req);
    res.on('finish', () => stop({ method: req.method, route: route(), status: res.statusCode }));
    next();
  };
  return { registry, recordRequests };
}

/**
 * The matched route pattern (`/api/users/:id/roles`), not the URL, so ids do not explode the label set.
 * Express sets `req.route` while the mount path is still in `req.baseUrl`, but restores `baseUrl` as the
 * request leaves a router; so the pattern is read at the moment the route is set.
 */
function captureRoutePattern(req: Request): () => string {
  let pattern = 'unmatched';
  let route: unknown;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: { path?: unknown } | undefined) {
      route = value;
      if (value?.path !== undefined) pattern = `${req.baseUrl}${String(value.path)}`;
    },
  });
  return () => pattern;
}
