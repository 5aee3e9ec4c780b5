import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { problems } from '../problem.js';
import { runWithRequestContext } from '../request-context.js';
import { assertAcceptableInput } from './input-walk.js';
import { serializeError } from './logger.js';
import { createMetrics, type ServiceMetrics } from './metrics.js';
import { problemHandler, requireJsonBody, routeNotFound } from './problem-handler.js';

export interface ServiceAppOptions {
  service: string;
  logger: Logger;
  /** Largest accepted body, e.g. `1mb`; larger ones get 413. */
  bodyLimit: string;
  /** Express `trust proxy`: which hops' X-Forwarded-For to believe. */
  trustProxy: string;
  /** Throws when the service cannot serve (database unreachable): /readyz then answers 503. */
  checkReadiness: () => Promise<void>;
  /** Mounts the service's own routes. */
  routes: (app: Express) => void;
  /**
   * The service's metrics, when something besides the app records on them (the outbox dispatcher's
   * gauges); made here from `service` otherwise. Served at `/metrics` either way.
   */
  metrics?: ServiceMetrics;
  /**
   * Exact paths whose POST bodies come as forms (application/x-www-form-urlencoded) from a provider
   * that posts nothing else, such as Twilio's status callbacks. Every other route takes JSON only.
   */
  formBodyPaths?: string[];
  /**
   * Routes (exact POST paths) that take a text body of their own media types and size limit, such as
   * a catalog import in CSV; a body of another type there goes on to the JSON checks like any other.
   */
  textBodyRoutes?: TextBodyRoute[];
}

export interface TextBodyRoute {
  path: string;
  /** Media types read as text, e.g. `['text/csv', 'application/x-ndjson']`. */
  types: string[];
  /** Largest accepted body, e.g. `16mb`. */
  limit: string;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Builds a service's Express app with what every service shares: request ids, access logs, security
 * headers, JSON body limits, metrics, health and readiness, and problem+json errors.
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const app = express();
  const metrics = options.metrics ?? createMetrics(options.service);
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy);
  app.locals.draining = false;

  app.use((req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.headers['x-request-id'] = requestId;
    res.set('X-Request-Id', requestId);
    runWithRequestContext({ requestId }, next);
  });
  app.use(
    pinoHttp({
      logger: options.logger,
      serializers: { err: serializeError },
      genReqId: (req) => req.headers['x-request-id'] as string,
      autoLogging: { ignore: (req) => ['/healthz', '/readyz', '/metrics'].includes(req.url ?? '') },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    }),
  );
  app.use(helmet());
  app.use(metrics.recordRequests);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (app.locals.draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    try {
      await options.checkReadiness();
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const formPaths = options.formBodyPaths ?? [];
  if (formPaths.length > 0) {
    app.post(
      formPaths,
      express.urlencoded({ extended: false, limit: options.bodyLimit, parameterLimit: 200 }),
    );
  }
  for (const route of options.textBodyRoutes ?? []) {
    const readText = express.text({ type: route.types, limit: route.limit });
    // The problem handler names the app's limit; this route's own is the one the client ran into.
    app.post(route.path, (req, res, next) =>
      readText(req, res, (error?: { type?: string }) =>
        next(error?.type === 'entity.too.large' ? problems.payloadTooLarge(route.limit) : error),
      ),
    );
  }
  // A form or text read just above has its body; any other body that is not JSON is still refused.
  app.use((req, res, next) => (req.body !== undefined ? next() : requireJsonBody(req, res, next)));
  app.use(express.json({ limit: options.bodyLimit, type: ['application/json', 'application/*+json'] }));
  // Every body and query is checked here, so no route can forget to; parseInput checks what it is
  // handed as well, which covers path parameters and headers.
  app.use((req, _res, next) => {
    assertAcceptableInput(req.body, 'body');
    assertAcceptableInput(req.query, 'query');
    next();
  });
  options.routes(app);
  app.use(routeNotFound);
  app.use(problemHandler(options.bodyLimit));
  return app;
}
