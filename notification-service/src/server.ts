import { createLogger, runService, serve } from '@escalable/shop-sdk/server';
import { buildApp, buildDependencies } from './app.js';
import { readConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { startDeliveryWorker } from './domain/delivery-worker.js';

runService('notification-service', async () => {
  const config = readConfig();
  const logger = createLogger('notification-service', config.LOG_LEVEL);
  const db = openDatabase(config.DATABASE_URL, config.DB_POOL_MAX, logger);
  const deps = buildDependencies(config, logger);
  // Built before migrating: a token-verification setting that is missing fails here, in one line.
  const app = buildApp({ config, db, logger, deps });
  await db.migrate();
  // Deliveries left pending or leased by a previous run are due, so this resumes them.
  const worker = startDeliveryWorker(deps, { intervalMs: config.DELIVERY_INTERVAL_MS });
  await serve({
    app,
    host: config.HOST,
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    onShutdown: async () => {
      await worker.stop();
      deps.email.close();
      await db.close();
    },
  });
});
