import { createLogger, runService, serve } from '@escalable/shop-sdk/server';
import { buildApp } from './app.js';
import { readConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { startExpirySweeper } from './domain/reservation-expiry.js';

runService('product-service', async () => {
  const config = readConfig();
  const logger = createLogger('product-service', config.LOG_LEVEL);
  const db = openDatabase(config.DATABASE_URL, config.DB_POOL_MAX, logger);
  // Built before migrating: a token-verification setting that is missing fails here, in one line.
  const app = buildApp({ config, db, logger });
  await db.migrate();
  const sweeper = startExpirySweeper(config.RESERVATION_SWEEP_INTERVAL_MS, logger);
  await serve({
    app,
    host: config.HOST,
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    onShutdown: async () => {
      await sweeper.stop();
      await db.close();
    },
  });
});
