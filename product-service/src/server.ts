import { createLogger, runService, serve } from '@escalable/shop-sdk/server';
import { buildApp } from './app.js';
import { readConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { startExpirySweeper } from './domain/reservation-expiry.js';

runService('product-service', async () => {
  const config = readConfig();
  const logger = createLogger('product-service', config.LOG_LEVEL);
  const db = openDatabase(config.DATABASE_URL, config.DB_POOL_MAX, logger);
  await db.migrate();
  const app = buildApp({ config, db, logger });
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
