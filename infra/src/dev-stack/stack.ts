import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findNginx } from '@escalable/gateway/render';
import { DevStackError } from './errors.js';
import { NGINX_MISSING, startGateway } from './gateway.js';
import { loadOrCreateSecrets } from './keys.js';
import type { Log } from './logs.js';
import { startDatabaseServer, type DatabaseServer } from './postgres.js';
import {
  describeExit,
  startProcess,
  waitForHttp,
  type ExitStatus,
  type ManagedProcess,
} from './processes.js';
import { busyPorts } from './ports.js';
import {
  providerEnv,
  sandboxPorts,
  startDevSandboxes,
  stopDevSandboxes,
  type DevSandboxes,
} from './sandboxes.js';
import { instanceEnv, instancesOf, presentServices, type Instance } from './services.js';

export interface DevStackOptions {
  /** Postgres data, keys and nginx files. Default: infra/.data */
  dataDir?: string;
  /** Wipe dataDir first. */
  reset?: boolean;
  gatewayPort?: number;
  /** Port of the embedded PostgreSQL (unused with databaseUrl). */
  pgPort?: number;
  /** Added to every service port (4101, 4102, 4201, ...), to run beside another stack. */
  portOffset?: number;
  /** A PostgreSQL server to use instead of the embedded one; its user must be able to create databases. */
  databaseUrl?: string;
  /** Where the service folders are. Default: the checkout holding infra/. */
  servicesRoot?: string;
  admin?: { email: string; password: string };
  logLevel?: string;
  /**
   * Sign-ups user-service allows per address and hour. Through the gateway every one comes from
   * 127.0.0.1, so the production default (20) would soon refuse a developer. Default: 1000.
   */
  registrationsPerIp?: number;
  /** Settings added to one service's instances, by service folder (`order-service`): a test's short expiry. */
  serviceEnv?: Record<string, Record<string, string>>;
  /** Receives every prefixed log line. Default: stdout. */
  log?: Log;
  /** Aborting it during start stops what has started and rejects. */
  signal?: AbortSignal;
}

export interface RunningInstance extends Instance {
  process: ManagedProcess;
}

export interface DevStack {
  gatewayUrl: string;
  admin: { email: string; password: string };
  instances: RunningInstance[];
  /** The SMTP, Twilio and MercadoPago sandboxes the services call: what they received and did. */
  sandboxes: DevSandboxes;
  /** Settles if nginx exits on its own: the stack is then unusable. */
  gatewayExited: Promise<ExitStatus>;
  /**
   * Starts an instance that was stopped or killed again, on its port with its settings, and waits
   * until it is ready; the gateway's upstream names the port, so traffic reaches it again by itself.
   */
  restart(name: string): Promise<RunningInstance>;
  /** Stops nginx, then the services, then the sandboxes and PostgreSQL. Safe to call twice. */
  stop(): Promise<void>;
}

export const DEFAULT_ADMIN = { email: 'admin@escalable.local', password: 'Admin-dev-password-1' };
const CHECKOUT = fileURLToPath(new URL('../../../', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

export async function startDevStack(options: DevStackOptions = {}): Promise<DevStack> {
  const dataDir = options.dataDir ?? path.join(CHECKOUT, 'infra', '.data');
  const servicesRoot = options.servicesRoot ?? CHECKOUT;
  const admin = options.admin ?? DEFAULT_ADMIN;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));

  const nginx = findNginx();
  if (!nginx) throw new DevStackError(NGINX_MISSING);
  const services = presentServices(servicesRoot);
  if (services.length === 0)
    throw new DevStackError(`no service folder under ${servicesRoot} has src/server.ts`);
  const portOffset = options.portOffset ?? 0;
  const instances = instancesOf(services, servicesRoot, portOffset);
  const gatewayPort = options.gatewayPort ?? 8080;
  const pgPort = options.pgPort ?? 54329;
  const busy = await busyPorts([
    gatewayPort,
    ...(options.databaseUrl ? [] : [pgPort]),
    ...instances.map((instance) => instance.port),
    ...sandboxPorts(portOffset),
  ]);
  if (busy.length > 0) {
    const ports = `port${busy.length > 1 ? 's' : ''} ${busy.join(', ')}`;
    throw new DevStackError(
      `${ports} already in use (another dev stack?): stop what holds them, or pick other ports`,
    );
  }

  let database: DatabaseServer | undefined;
  let sandboxes: DevSandboxes | undefined;
  let gateway: ManagedProcess | undefined;
  const running: RunningInstance[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await gateway?.stop();
      await Promise.all(running.map((instance) => instance.process.stop(15_000)));
      if (sandboxes) await stopDevSandboxes(sandboxes);
      await database?.stop();
    })());

  // Aborting ends the wait in progress, or stops the start before its next step; whatever has
  // started by then is stopped below, as on any failure.
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = () => reject(new DevStackError('interrupted'));
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  const interruptible = <T>(promise: Promise<T>) => Promise.race([promise, aborted]);
  const checkpoint = () => {
    if (options.signal?.aborted) throw new DevStackError('interrupted');
  };

  try {
    if (options.reset) await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true });
    const secrets = await loadOrCreateSecrets(dataDir);
    const providers = await startDevSandboxes({ portOffset, secrets });
    sandboxes = providers;
    const db = await startDatabaseServer({ databaseUrl: options.databaseUrl, dataDir, port: pgPort });
    database = db;
    await db.createDatabases(services.map((service) => service.database));
    checkpoint();

    const settings = {
      databaseUrl: db.urlFor,
      serviceSecret: secrets.serviceSecret,
      jwtPrivateKey: secrets.jwtPrivateKey,
      admin,
      logLevel: options.logLevel ?? 'info',
      registrationsPerIp: options.registrationsPerIp ?? 1000,
      providerEnv: providerEnv(providers, secrets, `http://127.0.0.1:${gatewayPort}`),
    };
    const launch = (instance: Instance): RunningInstance => ({
      ...instance,
      process: startProcess({
        name: instance.name,
        command: process.execPath,
        // tsx resolves from the service folder: its own node_modules or the workspace's hoisted one.
        args: ['--import', 'tsx', 'src/server.ts'],
        cwd: instance.cwd,
        env: {
          ...process.env,
          ...instanceEnv(instance, instances, settings),
          ...options.serviceEnv?.[instance.service.name],
        },
        log,
      }),
    });
    const reportExit = (instance: RunningInstance) => {
      void instance.process.exited.then((status) => {
        if (!stopping)
          log(`${instance.name} | ${describeExit(status)}; the gateway keeps routing to the other instance`);
      });
    };
    running.push(...instances.map(launch));
    await interruptible(
      Promise.all(
        running.map((instance) => waitForHttp(`${instance.url}/readyz`, instance.process, READY_TIMEOUT_MS)),
      ),
    );
    checkpoint();
    running.forEach(reportExit);

    const upstreams = Object.fromEntries(
      services.map((service) => [
        service.upstream,
        running.filter((i) => i.service === service).map((i) => `127.0.0.1:${i.port}`),
      ]),
    );
    const started = await startGateway({
      nginx,
      prefix: path.join(dataDir, 'nginx'),
      port: gatewayPort,
      upstreams,
      log,
    });
    gateway = started.process;
    await interruptible(waitForHttp(`${started.url}/healthz`, gateway, 10_000));
    return {
      gatewayUrl: started.url,
      admin,
      instances: running,
      sandboxes: providers,
      gatewayExited: gateway.exited,
      stop,
      async restart(name) {
        const index = running.findIndex((instance) => instance.name === name);
        const previous = running[index];
        if (!previous) throw new DevStackError(`no instance ${name} in the stack`);
        if (!previous.process.hasExited()) throw new DevStackError(`${name} is still running`);
        const instance = launch(previous);
        running[index] = instance;
        await waitForHttp(`${instance.url}/readyz`, instance.process, READY_TIMEOUT_MS);
        reportExit(instance);
        return instance;
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
