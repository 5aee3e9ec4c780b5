import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { answerClientErrorsWithProblems } from './client-errors.js';
import { ConfigError } from './config.js';

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

/** Runs a service's start-up; a failure prints one line and exits 1, as an operator expects. */
export function runService(service: string, start: () => Promise<unknown>): void {
  start().catch((error: unknown) => {
    const reason = error instanceof ConfigError ? error.message : String((error as Error)?.stack ?? error);
    process.stderr.write(`${service}: cannot start: ${reason}\n`);
    process.exit(1);
  });
}
