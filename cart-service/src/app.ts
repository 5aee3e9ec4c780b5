import type { Express } from 'express';
import { ProductServiceClient } from '@escalable/shop-sdk/internal';
import {
  createServiceApp,
  serveOpenApi,
  tokenVerifierFromEnv,
  type Database,
  type Logger,
} from '@escalable/shop-sdk/server';
import type { Config } from './config.js';
import type { CartDependencies } from './domain/catalog.js';
import { cartRoutes } from './routes/cart.js';
import { internalRoutes } from './routes/internal.js';
import { cartApiDocument } from './routes/openapi.js';

/**
 * What cart-service adds to the kit's log redaction: the guest token it issues in a response header
 * (the kit already hides the request header).
 */
export const LOG_REDACTIONS = ['res.headers["x-cart-token"]'];

export interface AppDependencies {
  config: Config;
  db: Database;
  logger: Logger;
}

export function buildApp({ config, db, logger }: AppDependencies): Express {
  const verify = tokenVerifierFromEnv(config);
  const deps: CartDependencies = {
    catalog: new ProductServiceClient({
      baseUrl: config.PRODUCT_SERVICE_URL,
      caller: 'cart-service',
      secret: config.SERVICE_SECRET,
      timeoutMs: config.PRODUCT_SERVICE_TIMEOUT_MS,
    }),
  };

  return createServiceApp({
    service: 'cart-service',
    logger,
    bodyLimit: config.BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    checkReadiness: () => db.ping(),
    routes: (app) => {
      app.get('/openapi.json', serveOpenApi(cartApiDocument));
      app.use('/api/cart', cartRoutes(verify, deps));
      app.use('/internal', internalRoutes(config.SERVICE_SECRET, deps));
    },
  });
}
