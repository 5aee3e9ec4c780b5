import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { answerClientErrorsWithProblems } from './client-errors.js';
import { ConfigError } from './config.js';
import type { Database } from './database.js';
import { createLogger } from './logger.js';
import { createMetrics, type ServiceMetrics } from './metrics.js';

export interface ServeOptions {
  app: Express;
  host: string;
  port: number;
  logger: Logger;
  shutdownTimeoutMs: number;
  /** Releases what the service holds (database pool, timers) once no request is in flight. */
  onShutdown: () => Promise<void>;
}

export interface RunningService {
  server: Server;
  /** The port actually bound (useful with port 0). */
  port: number;
  stop(): Promise<void>;
}

/** Listens, and on SIGTERM or SIGINT stops accepting, lets in-flight requests finish, then releases. */
export async function serve(options: ServeOptions): Promise<RunningService> {
  const { app, logger } = options;
  const server = app.listen(options.port, options.host);
  answerClientErrorsWithProblems(server);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  // Longer than the gateway's upstream keepalive, so nginx never reuses a socket we just closed.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  logger.info({ host: options.host, port }, 'listening');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      app.locals.draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = setTimeout(() => server.closeAllConnections(), options.shutdownTimeoutMs);
      await closed;
      clearTimeout(deadline);
      await options.onShutdown();
      logger.info('stopped');
    })());

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  return { server, port, stop };
}

/** The settings the boot sequence reads; `serviceEnv` gives them to every service. */
export interface BootSettings {
  LOG_LEVEL: string;
  DATABASE_URL: string;
  DB_POOL_MAX: number;
  HOST: string;
  PORT: number;
  SHUTDOWN_TIMEOUT_MS: number;
}

/** What the boot sequence hands a service's parts: everything made so far. */
export interface ServiceBuild<Config, Deps> {
  config: Config;
  logger: Logger;
  db: Database;
  /** What `buildDependencies` made (undefined without it). */
  deps: Deps;
  /** Made on first use, so that a service whose app makes its own does not keep a second registry. */
  metrics: ServiceMetrics;
}

/** A service's own parts, which `startService` puts together in the boot order every service shares. */
export interface ServiceParts<Config extends BootSettings, Deps> {
  /** Names the log lines, the metrics and a failed start's message: `user-service`. */
  name: string;
  /** Parses the environment, throwing ConfigError; the service's `readConfig`. */
  readConfig: () => Config;
  /** The service's own secrets, as pino redaction paths, on top of the ones every service has. */
  logRedactions?: string[];
  /** The service's database door (its `db/index.ts`). */
  openDatabase: (url: string, poolMax: number, logger: Logger) => Database;
  /** What the stories need for the process's life: other services' clients, providers, signing keys. */
  buildDependencies?: (config: Config, logger: Logger) => Deps;
  buildApp: (build: ServiceBuild<Config, Deps>) => Express;
  /** Runs once the tables are up to date, before any worker or request: a first admin account. */
  afterMigrate?: (build: ServiceBuild<Config, Deps>) => Promise<void>;
  /** What the instance runs besides answering requests (sweepers, outbox); `stop` waits for rounds in progress. */
  startWorkers?: (build: ServiceBuild<Config, Deps>) => { stop(): Promise<void> } | undefined;
  /** Closes what the dependencies hold open (an SMTP pool), once the workers no longer use them. */
  releaseDependencies?: (deps: Deps) => void | Promise<void>;
}

/**
 * Boots a service from its parts: config, logger with its redactions, database, dependencies, app,
 * migrations, workers, then serving with a graceful shutdown (see `serve`).
 */
export async function startService<Config extends BootSettings, Deps = undefined>(
  parts: ServiceParts<Config, Deps>,
): Promise<RunningService> {
  const config = parts.readConfig();
  const logger = createLogger(parts.name, config.LOG_LEVEL, { redact: parts.logRedactions });
  const db = parts.openDatabase(config.DATABASE_URL, config.DB_POOL_MAX, logger);
  let deps: Deps | undefined;
  let workers: { stop(): Promise<void> } | undefined;
  const release = async () => {
    // Workers first: what they send in flight is recorded before the pool closes, so none is
    // repeated needlessly.
    await workers?.stop();
    if (deps !== undefined) await parts.releaseDependencies?.(deps);
    await db.close();
  };
  try {
    deps = parts.buildDependencies?.(config, logger);
    let metrics: ServiceMetrics | undefined;
    const build: ServiceBuild<Config, Deps> = {
      config,
      logger,
      db,
      deps: deps as Deps,
      get metrics() {
        return (metrics ??= createMetrics(parts.name));
      },
    };
    // Built before migrating: a setting that is missing (token verification) fails here, in one line,
    // and leaves the database as it was.
    const app = parts.buildApp(build);
    await db.migrate();
    await parts.afterMigrate?.(build);
    // Started after migrating: what a previous run left (outbox messages, expiries, deliveries) is due
    // at once, and is read with the tables as this version knows them.
    workers = parts.startWorkers?.(build);
    return await serve({
      app,
      host: config.HOST,
      port: config.PORT,
      logger,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
      onShutdown: release,
    });
  } catch (error) {
    // The start's own failure is the one to report, not a failure to release after it.
    await release().catch(() => undefined);
    throw error;
  }
}

/**
 * Runs a service, from its parts (see `startService`) or its own start-up; a failure prints one line
 * and exits 1, as an operator expects.
 */
export function runService<Config extends BootSettings, Deps = undefined>(
  parts: ServiceParts<Config, Deps>,
): void;
export function runService(service: string, start: () => Promise<unknown>): void;
export function runService<Config extends BootSettings, Deps>(
  serviceOrParts: string | ServiceParts<Config, Deps>,
  start?: () => Promise<unknown>,
): void {
  const [service, run] =
    typeof serviceOrParts === 'string'
      ? [serviceOrParts, start!]
      : [serviceOrParts.name, () => startService(serviceOrParts)];
  run().catch((error: unknown) => {
    const reason = error instanceof ConfigError ? error.message : String((error as Error)?.stack ?? error);
    process.stderr.write(`${service}: cannot start: ${reason}\n`);
    process.exit(1);
  });
}
