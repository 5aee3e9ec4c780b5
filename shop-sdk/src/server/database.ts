import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { Sequelize, type QueryInterface } from 'sequelize';
import { MigrationError, SequelizeStorage, Umzug, type MigrationFn } from 'umzug';
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
  const sequelize = openSequelize(options, { max: options.poolMax });
  options.defineModels?.(sequelize);

  return {
    sequelize,
    async migrate() {
      // A session advisory lock on its own connection, so that two instances starting together
      // apply each migration once instead of racing on the same DDL.
      const lock = new pg.Client({ connectionString: options.url });
      await lock.connect();
      const session = openSequelize(options, { max: 1 }, { lock_timeout: MIGRATION_LOCK_TIMEOUT_MS });
      try {
        await lock.query("SELECT pg_advisory_lock(hashtext('schema_migrations'))");
        await migrator(session, migrationsDir, options.logger).up();
      } catch (error) {
        throw lockTimeoutFailure(error) ?? error;
      } finally {
        await Promise.all([lock.end(), session.close()]);
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

/**
 * How long a migration waits for a lock on a table that other sessions use. While an ALTER waits for
 * its lock, every later query on that table queues behind it, so the service would stall on a busy
 * table; past this the migration gives up and the start fails, and the next start retries it. No
 * statement_timeout: once a migration holds its locks, a long rewrite or index build is its work,
 * and cutting it short would fail every start the same way.
 */
const MIGRATION_LOCK_TIMEOUT_MS = 5_000;

/**
 * Every session of a service serves requests: a parallel plan makes a request wait for worker processes
 * to start (a listing whose plan went parallel took 100 ms instead of 3 on the 2-core machine) and
 * takes cores from the other requests, so the planner is told to plan each statement in one process.
 * As libpq's `options`: a client that must plan statements as the services do (a benchmark's EXPLAIN)
 * opens its sessions with them too.
 */
export const REQUEST_SESSION_OPTIONS = '-c max_parallel_workers_per_gather=0';

function openSequelize(
  options: DatabaseOptions,
  pool: { max: number },
  dialectOptions?: { lock_timeout: number },
): Sequelize {
  return new Sequelize(options.url, {
    dialect: 'postgres',
    dialectModule: pg,
    dialectOptions: { ...dialectOptions, options: REQUEST_SESSION_OPTIONS },
    logging: (sql) => options.logger.trace({ sql }, 'sql'),
    pool: { max: pool.max, min: 0, idle: 10_000, acquire: 10_000 },
    define: { underscored: true },
  });
}

/** Migrations run on their own session, whose settings (the lock timeout) no request ever sees. */
function migrator(session: Sequelize, migrationsDir: string, logger: Logger): Umzug<QueryInterface> {
  return new Umzug<QueryInterface>({
    migrations: {
      glob: ['*.{ts,js}', { cwd: migrationsDir, ignore: ['*.d.ts'] }],
      resolve: ({ name, path }) => ({
        name: name.replace(/\.(ts|js)$/, ''),
        up: async (params) => (await import(pathToFileURL(path!).href)).up(params),
        down: async (params) => (await import(pathToFileURL(path!).href)).down?.(params),
      }),
    },
    context: session.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize: session, tableName: 'schema_migrations' }),
    logger: {
      info: (event) => logger.info(event, 'migration'),
      warn: (event) => logger.warn(event, 'migration'),
      error: (event) => logger.error(event, 'migration'),
      debug: (event) => logger.debug(event, 'migration'),
    },
  });
}

/** PostgreSQL's lock_not_available: the lock timeout ran out. */
const LOCK_NOT_AVAILABLE = '55P03';

/** The one line a start that met a busy table prints: which migration, why, and that it is retried. */
function lockTimeoutFailure(error: unknown): Error | undefined {
  if (!(error instanceof MigrationError) || !hasCode(error.cause, LOCK_NOT_AVAILABLE)) return undefined;
  return new Error(
    `migration ${error.migration.name} waited ${MIGRATION_LOCK_TIMEOUT_MS / 1000} s for a lock other ` +
      'sessions hold on its table and gave up (lock_timeout), so queries are not stalled behind it; ' +
      'it stays pending and the next start retries it',
    { cause: error },
  );
}

function hasCode(error: unknown, code: string): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if ((cause as { code?: unknown }).code === code) return true;
    const original = (cause as { original?: unknown }).original;
    if (original instanceof Error && (original as { code?: unknown }).code === code) return true;
  }
  return false;
}
