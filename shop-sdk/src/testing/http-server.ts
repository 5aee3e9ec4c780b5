import type { Server } from 'node:http';
import express, { type Express } from 'express';
import { answerClientErrorsWithProblems } from '../server/client-errors.js';

export interface ListeningServer {
  url: string;
  close(): Promise<void>;
}

/** Serves an app on a free loopback port: the service under test, or a stand-in for one it calls. */
export async function listen(app: Express): Promise<ListeningServer> {
  const server: Server = app.listen(0, '127.0.0.1');
  answerClientErrorsWithProblems(server);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A small HTTP server standing in for another service, following its shop-sdk contract. `routes`
 * mounts the answers the test needs; every request it receives is recorded for assertions.
 */
export async function startStandIn(routes: (app: Express) => void): Promise<
  ListeningServer & {
    received: Array<{ method: string; path: string; body: unknown; headers: Record<string, unknown> }>;
  }
> {
  const received: Array<{ method: string; path: string; body: unknown; headers: Record<string, unknown> }> =
    [];
  const app = express();
  app.use(express.json());
  app.use((req, _res, next) => {
    received.push({ method: req.method, path: req.path, body: req.body, headers: req.headers });
    next();
  });
  routes(app);
  return { ...(await listen(app)), received };
}
