import type { Express } from 'express';
import { createLogger, createServiceApp } from '../src/server/index.js';
import { listen, type ListeningServer } from '../src/testing/index.js';

/** A service app with only the routes a test mounts, served on a free port. */
export function serveTinyApp(routes: (app: Express) => void, bodyLimit = '1mb'): Promise<ListeningServer> {
  return listen(
    createServiceApp({
      service: 'tiny',
      logger: createLogger('tiny', 'silent'),
      bodyLimit,
      trustProxy: 'loopback',
      checkReadiness: async () => {},
      routes,
    }),
  );
}
