import type { Express } from 'express';
import {
  createServiceApp,
  serveOpenApi,
  tokenVerifierFromEnv,
  type Database,
  type Logger,
  type ServiceMetrics,
} from '@escalable/shop-sdk/server';
import type { Config } from './config.js';
import type { PaymentDependencies } from './domain/dependencies.js';
import { createMercadoPago } from './domain/mercadopago.js';
import { internalRoutes } from './routes/internal.js';
import { paymentApiDocument } from './routes/openapi.js';
import { paymentRoutes, WEBHOOK_PATH } from './routes/payments.js';

const PUBLIC_PREFIX = '/api/payments';

/** What payment-service adds to the kit's log redaction: MercadoPago's webhook signature. */
export const LOG_REDACTIONS = ['req.headers["x-signature"]'];

/** MercadoPago's client and the payment settings, built once per process. */
export function buildDependencies(config: Config, logger: Logger): PaymentDependencies {
  const returnUrl =
    config.CHECKOUT_RETURN_URL ?? `${config.PUBLIC_BASE_URL.replace(/\/+$/, '')}/orders/{orderId}`;
  return {
    mercadopago: createMercadoPago({
      accessToken: config.MERCADOPAGO_ACCESS_TOKEN,
      apiBaseUrl: config.MERCADOPAGO_API_BASE_URL,
      timeoutMs: config.MERCADOPAGO_TIMEOUT_MS,
      maxRetries: config.MERCADOPAGO_MAX_RETRIES,
    }),
    // MercadoPago posts to the public URL, through the gateway.
    notificationUrl: new URL(PUBLIC_PREFIX + WEBHOOK_PATH, config.PUBLIC_BASE_URL).href,
    returnUrl: (orderId) => returnUrl.replace('{orderId}', encodeURIComponent(orderId)),
    reconcileAfterSeconds: config.RECONCILE_AFTER_SECONDS,
    webhookSecret: config.MERCADOPAGO_WEBHOOK_SECRET,
    webhookToleranceSeconds: config.WEBHOOK_TOLERANCE_SECONDS,
    logger,
  };
}

export interface AppDependencies {
  config: Config;
  db: Database;
  logger: Logger;
  deps: PaymentDependencies;
  metrics?: ServiceMetrics;
}

export function buildApp({ config, db, logger, deps, metrics }: AppDependencies): Express {
  const verify = tokenVerifierFromEnv(config);
  return createServiceApp({
    service: 'payment-service',
    logger,
    bodyLimit: config.BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    checkReadiness: () => db.ping(),
    metrics,
    routes: (app) => {
      app.get('/openapi.json', serveOpenApi(paymentApiDocument));
      app.use(PUBLIC_PREFIX, paymentRoutes(verify, deps));
      app.use('/internal', internalRoutes(config.SERVICE_SECRET, deps));
    },
  });
}
