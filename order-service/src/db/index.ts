import { fileURLToPath } from 'node:url';
import { createDatabase, type Database, type Logger } from '@escalable/shop-sdk/server';
import { defineModels } from './models.js';

export function openDatabase(url: string, poolMax: number, logger: Logger): Database {
  return createDatabase({
    url,
    poolMax,
    logger,
    migrationsDir: fileURLToPath(new URL('./migrations', import.meta.url)),
    defineModels,
  });
}
