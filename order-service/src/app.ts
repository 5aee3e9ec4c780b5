import type { Express } from 'express';
import {
  CartServiceClient,
  PaymentServiceClient,
  ProductServiceClient,
  UserServiceClient,
  type InternalClientOptions,
} from '@escalable/shop-sdk/internal';
import {
  createServiceApp,
  serveOpenApi,
  tokenVerifierFromEnv,
  type Database,
  type Logger,
  type ServiceMetrics,
} from '@escalable/shop-sdk/server';
import type { Config } from './config.js';
import type { OrderDependencies } from './domain/dependencies.js';
import { internalRoutes } from './routes/internal.js';
import { orderApiDocument } from './routes/openapi.js';
import { orderRoutes } from './routes/orders.js';

/** What order-service adds to the kit's log redaction: the key a checkout is repeated with. */
export const LOG_REDACTIONS = ['req.headers["idempotency-key"]'];

/** The other services' clients and the checkout settings, built once per process. */
export function buildDependencies(config: Config, logger: Logger): OrderDependencies {
  const options = (baseUrl: string): InternalClientOptions => ({
    baseUrl,
    caller: 'order-service',
    secret: config.SERVICE_SECRET,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
  });
  return {
    carts: new CartServiceClient(options(config.CART_SERVICE_URL)),
    catalog: new ProductServiceClient(options(config.PRODUCT_SERVICE_URL)),
    payments: new PaymentServiceClient(options(config.PAYMENT_SERVICE_URL)),
    users: new UserServiceClient(options(config.USER_SERVICE_URL)),
    paymentTtlSeconds: config.ORDER_PAYMENT_TTL_SECONDS,
    checkoutWaitMs: config.CHECKOUT_WAIT_MS,
    maxPendingOrders: config.MAX_PENDING_ORDERS_PER_CUSTOMER,
    logger,
  };
}

export interface AppDependencies {
  config: Config;
  db: Database;
  logger: Logger;
  deps: OrderDependencies;
  metrics?: ServiceMetrics;
}

export function buildApp({ config, db, logger, deps, metrics }: AppDependencies): Express {
  const verify = tokenVerifierFromEnv(config);
  return createServiceApp({
    service: 'order-service',
    logger,
    bodyLimit: config.BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    checkReadiness: () => db.ping(),
    metrics,
    routes: (app) => {
      app.get('/openapi.json', serveOpenApi(orderApiDocument));
      app.use('/api/orders', orderRoutes(verify, deps));
      app.use('/internal', internalRoutes(config.SERVICE_SECRET, deps));
    },
  });
}
