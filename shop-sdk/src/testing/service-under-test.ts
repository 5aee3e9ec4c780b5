import type { Express } from 'express';
import type { Database } from '../server/database.js';
import { listen } from './http-server.js';
import { guardOutboundHttp, type OutboundGuard } from './outbound-guard.js';
import { startTestDatabase } from './test-database.js';

export interface ServiceStartContext {
  db: Database;
  databaseUrl: string;
  /** The run's outbound guard: `allow` the stand-ins the service is configured to call. */
  outbound: OutboundGuard;
  /** Something else to release at the end of the run (another instance, a stand-in); run in reverse order. */
  onStop(step: () => Promise<void>): void;
}

export interface ServiceUnderTestOptions<Extra extends object> {
  /** Names the test database. */
  name: string;
  /** The service's own database door (its `db/index.ts`), opened on the test database. */
  openDatabase: (url: string) => Database;
  /** Runs once migrations are applied: seeds, then builds the app; anything else returned reaches the tests. */
  start: (context: ServiceStartContext) => Promise<{ app: Express } & Extra>;
}

export type ServiceUnderTest<Extra extends object> = Extra & {
  url: string;
  db: Database;
  databaseUrl: string;
  /** Refuses outbound HTTP to any origin but the service's own; stand-ins are allowed with `allow`. */
  outbound: OutboundGuard;
};

declare const after: ((hook: () => Promise<void>) => void) | undefined;

/**
 * A service under test, started once per run on a real PostgreSQL and listening on real HTTP: test
 * database, migrations, the app on a free port, an outbound-call guard, and everything stopped in a
 * root `after` hook. Call it at the top level of the test harness module; each test awaits the
 * returned function, which starts the service on first use.
 */
export function serviceUnderTest<Extra extends object>(
  options: ServiceUnderTestOptions<Extra>,
): () => Promise<ServiceUnderTest<Extra>> {
  if (typeof after !== 'function')
    throw new Error('serviceUnderTest must be called while mocha loads the tests');
  const stopSteps: Array<() => Promise<void>> = [];
  let running: Promise<ServiceUnderTest<Extra>> | undefined;
  after(async () => {
    await running?.catch(() => undefined);
    for (const step of stopSteps.reverse()) await step();
  });
  const onStop = (step: () => Promise<void>) => {
    stopSteps.push(step);
  };

  const start = async (): Promise<ServiceUnderTest<Extra>> => {
    const outbound = guardOutboundHttp();
    onStop(async () => outbound.stop());
    const database = await startTestDatabase(options.name);
    onStop(database.stop);
    const db = options.openDatabase(database.url);
    onStop(() => db.close());
    await db.migrate();
    const { app, ...extra } = await options.start({ db, databaseUrl: database.url, outbound, onStop });
    const server = await listen(app);
    onStop(server.close);
    outbound.allow(server.url);
    return { ...(extra as unknown as Extra), url: server.url, db, databaseUrl: database.url, outbound };
  };
  return () => (running ??= start());
}
