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
    res.on('finish', () => stop({ method: req.method, route: routeOf(req), status: res.statusCode }));
    next();
  };
  return { registry, recordRequests };
}

/** The route pattern, not the URL, so ids do not explode the label set. */
function routeOf(req: Request): string {
  return req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
}
