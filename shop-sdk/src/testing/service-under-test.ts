import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import type { Database } from '../server/database.js';
import { startGatewayStandIn, type GatewayStandIn } from './gateway-stand-in.js';
import { listen, type ListeningServer } from './http-server.js';
import { guardOutboundHttp, type OutboundGuard } from './outbound-guard.js';
import { createTestSigningKey, type TestSigningKey } from './signing-key.js';
import { startTestDatabase } from './test-database.js';

/**
 * The settings every service reads in its tests, to spread into the service's own (a type, not an
 * interface, so that it passes where an environment is expected).
 */
export type TestServiceEnv = {
  DATABASE_URL: string;
  /** The run's secret for `/internal/*` calls; stand-ins check the service's calls with it. */
  SERVICE_SECRET: string;
  /** The run's access-token key: `signingKey.tokenFor` signs users in. */
  JWT_PUBLIC_KEY: string;
  LOG_LEVEL: 'silent';
};

/** What a service under test talks to during the run: another service's stand-in, a provider's sandbox. */
export interface RunStandIn {
  /** Where it serves HTTP, if it does (an SMTP sandbox's SMTP side has no URL). */
  url?: string;
  close(): Promise<unknown>;
}

/** One instance of the service, as a process has it: its app, and how to stop what else it runs. */
export interface ServiceInstance {
  app: Express;
  /** Stops the instance's workers and clients once its server has closed. */
  stop?: () => Promise<void>;
}

export interface ServiceStartContext {
  db: Database;
  databaseUrl: string;
  /** DATABASE_URL, SERVICE_SECRET, JWT_PUBLIC_KEY and a silent LOG_LEVEL, for the service's `readConfig`. */
  env: TestServiceEnv;
  serviceSecret: string;
  signingKey: TestSigningKey;
  /** The run's outbound guard: `allow` the stand-ins the service is configured to call. */
  outbound: OutboundGuard;
  /** Something else to release at the end of the run (another instance, a stand-in); run in reverse order. */
  onStop(step: () => Promise<void>): void;
  /**
   * The public entry in front of the service, for PUBLIC_BASE_URL (providers call back through it):
   * forwarding to the service once it listens, let through the guard, closed at the end of the run.
   */
  gatewayStandIn(): Promise<GatewayStandIn>;
  /** Awaits a stand-in or sandbox as it starts: let through the guard, and closed at the end of the run. */
  standIn<T extends RunStandIn>(starting: Promise<T>): Promise<T>;
  /**
   * Serves another instance on the same database, as behind the gateway, let through the guard. The
   * caller closes it: its server first, then the instance's own workers.
   */
  listenInstance(instance: ServiceInstance): Promise<ListeningServer>;
}

export interface ServiceUnderTestOptions<Extra extends object> {
  /** Names the test database. */
  name: string;
  /** The service's own database door (its `db/index.ts`), opened on the test database. */
  openDatabase: (url: string) => Database;
  /**
   * Runs once migrations are applied: seeds, then builds the instance the tests call (its `stop`
   * runs at the end of the run); anything else returned reaches the tests.
   */
  start: (context: ServiceStartContext) => Promise<ServiceInstance & Extra>;
}

export type ServiceUnderTest<Extra extends object> = Omit<Extra, 'stop'> & {
  url: string;
  /** The app the tests call, for what only the app can say (its routes, for the OpenAPI check). */
  app: Express;
  db: Database;
  databaseUrl: string;
  /** Refuses outbound HTTP to any origin but the service's own; stand-ins are allowed with `allow`. */
  outbound: OutboundGuard;
};

/** Starts the service on first call; the run's credentials are known before, for test helpers. */
export type ServiceUnderTestAccess<Extra extends object> = (() => Promise<ServiceUnderTest<Extra>>) & {
  serviceSecret: string;
  signingKey: TestSigningKey;
};

declare const after: ((hook: () => Promise<void>) => void) | undefined;

/**
 * A service under test, started once per run on a real PostgreSQL and listening on real HTTP: test
 * database, migrations, a service secret and an access-token key of its own, the app on a free port,
 * an outbound-call guard, and everything stopped in a root `after` hook. Call it at the top level of
 * the test harness module; each test awaits the returned function, which starts the service on first use.
 */
export function serviceUnderTest<Extra extends object>(
  options: ServiceUnderTestOptions<Extra>,
): ServiceUnderTestAccess<Extra> {
  if (typeof after !== 'function')
    throw new Error('serviceUnderTest must be called while mocha loads the tests');
  const serviceSecret = randomBytes(32).toString('hex');
  const signingKey = createTestSigningKey();
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
    const standIn = async <T extends RunStandIn>(starting: Promise<T>): Promise<T> => {
      const started = await starting;
      onStop(async () => {
        await started.close();
      });
      if (started.url) outbound.allow(started.url);
      return started;
    };
    const gateways: GatewayStandIn[] = [];
    const gatewayStandIn = async () => {
      const gateway = await standIn(startGatewayStandIn());
      gateways.push(gateway);
      return gateway;
    };
    const listenInstance = async (instance: ServiceInstance): Promise<ListeningServer> => {
      const server = await listen(instance.app);
      outbound.allow(server);
      return {
        url: server.url,
        close: async () => {
          await server.close();
          await instance.stop?.();
        },
      };
    };
    const { app, stop, ...extra } = await options.start({
      db,
      databaseUrl: database.url,
      env: {
        DATABASE_URL: database.url,
        SERVICE_SECRET: serviceSecret,
        JWT_PUBLIC_KEY: signingKey.publicKeyPem,
        LOG_LEVEL: 'silent',
      },
      serviceSecret,
      signingKey,
      outbound,
      onStop,
      standIn,
      gatewayStandIn,
      listenInstance,
    });
    if (stop) onStop(stop);
    const server = await listen(app);
    onStop(server.close);
    outbound.allow(server.url);
    for (const gateway of gateways) gateway.target = server.url;
    return {
      ...(extra as Omit<Extra, 'stop'>),
      url: server.url,
      app,
      db,
      databaseUrl: database.url,
      outbound,
    };
  };
  return Object.assign(() => (running ??= start()), { serviceSecret, signingKey });
}
