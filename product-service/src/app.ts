import type { Express } from 'express';
import {
  createServiceApp,
  serveOpenApi,
  tokenVerifierFromEnv,
  type Database,
  type Logger,
} from '@escalable/shop-sdk/server';
import type { Config } from './config.js';
import { categoryIds } from './db/category-ids.js';
import { countPlans } from './db/count-plans.js';
import { catalogImportBody, catalogImportRoutes } from './routes/catalog-import.js';
import { categoryRoutes } from './routes/categories.js';
import { internalRoutes } from './routes/internal.js';
import { productApiDocument } from './routes/openapi.js';
import { productRoutes } from './routes/products.js';
import { stockRoutes } from './routes/stock.js';

export interface AppDependencies {
  config: Config;
  db: Database;
  logger: Logger;
}

export function buildApp({ config, db, logger }: AppDependencies): Express {
  const verify = tokenVerifierFromEnv(config);
  const cache = { maxAgeSeconds: config.CATALOG_CACHE_SECONDS };
  const listing = { countPlans: countPlans(), categoryIds: categoryIds() };

  return createServiceApp({
    service: 'product-service',
    logger,
    bodyLimit: config.BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    textBodyRoutes: [catalogImportBody],
    checkReadiness: () => db.ping(),
    routes: (app) => {
      app.get('/openapi.json', serveOpenApi(productApiDocument));
      app.use(
        '/api/products',
        catalogImportRoutes(verify),
        productRoutes(verify, cache, listing),
        stockRoutes(verify),
      );
      app.use('/api/categories', categoryRoutes(verify, cache));
      app.use(
        '/internal',
        internalRoutes({
          serviceSecret: config.SERVICE_SECRET,
          reservationTtlSeconds: config.RESERVATION_TTL_SECONDS,
        }),
      );
    },
  });
}
