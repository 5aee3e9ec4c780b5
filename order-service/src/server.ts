import { createLogger, createMetrics, runService, serve } from '@escalable/shop-sdk/server';
import { buildApp, buildDependencies, LOG_REDACTIONS } from './app.js';
import { readConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { startWorkers } from './workers.js';

runService('order-service', async () => {
  const config = readConfig();
  const logger = createLogger('order-service', config.LOG_LEVEL, { redact: LOG_REDACTIONS });
  const db = openDatabase(config.DATABASE_URL, config.DB_POOL_MAX, logger);
  const deps = buildDependencies(config, logger);
  const metrics = createMetrics('order-service');
  // Built before migrating: a token-verification setting that is missing fails here, in one line.
  const app = buildApp({ config, db, logger, deps, metrics });
  await db.migrate();
  // Messages and expiries left by a previous run are due, so this resumes them.
  const workers = startWorkers({ config, db, deps, logger, metrics });
  await serve({
    app,
    host: config.HOST,
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    onShutdown: async () => {
      await workers.stop();
      await db.close();
    },
  });
});
