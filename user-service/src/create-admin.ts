import { z } from 'zod';
import { createLogger, loadConfig, runService, serviceEnv } from '@escalable/shop-sdk/server';
import { LOG_REDACTIONS } from './app.js';
import { openDatabase } from './db/index.js';
import { ensureAdmin } from './domain/admin-bootstrap.js';

// `npm run create-admin` with DATABASE_URL, ADMIN_EMAIL and ADMIN_PASSWORD in the environment: for
// operators who would rather not keep the admin password in the service's own environment.
runService('create-admin', async () => {
  const config = loadConfig({
    DATABASE_URL: serviceEnv.DATABASE_URL,
    LOG_LEVEL: serviceEnv.LOG_LEVEL,
    ADMIN_EMAIL: z.email(),
    ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters'),
  });
  const logger = createLogger('create-admin', config.LOG_LEVEL, { redact: LOG_REDACTIONS });
  const db = openDatabase(config.DATABASE_URL, 1, logger);
  await db.migrate();
  await ensureAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD, logger);
  await db.close();
});
