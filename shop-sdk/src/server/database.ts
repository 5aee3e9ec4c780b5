import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { Sequelize, type QueryInterface } from 'sequelize';
import { SequelizeStorage, Umzug, type MigrationFn } from 'umzug';
import type { Logger } from 'pino';

/** A migration file exports `up` (and `down`) of this type. */
export type Migration = MigrationFn<QueryInterface>;

export interface DatabaseOptions {
  url: string;
  /**
   * Folder of the service's migration files (`.ts` in development, `.js` once built), as a path or a
   * file URL (`new URL('./migrations', import.meta.url)`).
   */
  migrationsDir: string | URL;
  poolMax: number;
  logger: Logger;
  /** Defines the service's models on the new Sequelize instance. */
  defineModels?: (sequelize: Sequelize) => void;
}

export interface Database {
  sequelize: Sequelize;
  /** Applies pending migrations; safe when several instances start at once. */
  migrate(): Promise<void>;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A service's database: Sequelize over pg with its models defined, and its migrations. A service's
 * `db/index.ts` is one call: `createDatabase({ url, poolMax, logger, migrationsDir: new URL(...), defineModels })`.
 */
export function createDatabase(options: DatabaseOptions): Database {
  const migrationsDir =
    options.migrationsDir instanceof URL ? fileURLToPath(options.migrationsDir) : options.migrationsDir;
  const sequelize = new Sequelize(options.url, {
    dialect: 'postgres',
    dialectModule: pg,
    logging: (sql) => options.logger.trace({ sql }, 'sql'),
    pool: { max: options.poolMax, min: 0, idle: 10_000, acquire: 10_000 },
    define: { underscored: true },
  });
  const umzug = new Umzug<QueryInterface>({
    migrations: {
      glob: ['*.{ts,js}', { cwd: migrationsDir, ignore: ['*.d.ts'] }],
      resolve: ({ name, path }) => ({
        name: name.replace(/\.(ts|js)$/, ''),
        up: async (params) => (await import(pathToFileURL(path!).href)).up(params),
        down: async (params) => (await import(pathToFileURL(path!).href)).down?.(params),
      }),
    },
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: {
      info: (event) => options.logger.info(event, 'migration'),
      warn: (event) => options.logger.warn(event, 'migration'),
      error: (event) => options.logger.error(event, 'migration'),
      debug: (event) => options.logger.debug(event, 'migration'),
    },
  });
  options.defineModels?.(sequelize);

  return {
    sequelize,
    async migrate() {
      // A session advisory lock on its own connection, so that two instances starting together
      // apply each migration once instead of racing on the same DDL.
      const lock = new pg.Client({ connectionString: options.url });
      await lock.connect();
      try {
        await lock.query("SELECT pg_advisory_lock(hashtext('schema_migrations'))");
        await umzug.up();
      } finally {
        await lock.end();
      }
    },
    async ping() {
      await sequelize.query('SELECT 1');
    },
    async close() {
      await sequelize.close();
    },
  };
}
