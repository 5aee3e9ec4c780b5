// The dev stack the end-to-end suite runs against: started once by the root hooks (hooks.ts) with a
// throwaway data dir, on ports away from the dev defaults so a running `npm start` does not clash.
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadOrCreateSecrets, type DevSecrets } from '../../src/dev-stack/keys.js';
import { startDevStack, type DevStack, type RunningInstance } from '../../src/dev-stack/stack.js';

const PORTS = { gatewayPort: 18080, pgPort: 55329, portOffset: 10_000 };
// Every sign-up of the suite reaches user-service from the gateway's address.
const REGISTRATIONS_PER_IP = 10_000;
/** How long an unpaid order holds its stock here: short enough for a test to see it expire. */
export const ORDER_PAYMENT_TTL_SECONDS = 45;
const SERVICE_ENV = {
  'order-service': {
    ORDER_PAYMENT_TTL_SECONDS: String(ORDER_PAYMENT_TTL_SECONDS),
    ORDER_EXPIRY_INTERVAL_MS: '1000',
  },
};

let running: { stack: DevStack; dataDir: string } | undefined;
const logLines: string[] = [];
// As each process wrote them: the formatted lines leave out fields (request headers, error details).
const rawLogLines: string[] = [];

/** The running stack: its gateway URL, admin credentials and service instances. */
export function e2eStack(): DevStack {
  if (!running) throw new Error('the e2e stack is not running (test/e2e/hooks.ts starts it)');
  return running.stack;
}

export const gatewayUrl = (): string => e2eStack().gatewayUrl;
export const adminCredentials = (): { email: string; password: string } => e2eStack().admin;

/** The stack's JWT signing key and service secret, for tokens only user-service or a service could make. */
export function stackSecrets(): Promise<DevSecrets> {
  if (!running) throw new Error('the e2e stack is not running (test/e2e/hooks.ts starts it)');
  return loadOrCreateSecrets(running.dataDir);
}

/** The comma-separated base URLs of a service's instances, as the services themselves are configured. */
export function instanceUrls(service: string): string {
  return e2eStack()
    .instances.filter((instance) => instance.service.name === service)
    .map((instance) => instance.url)
    .join(',');
}

/** Kills one instance (`user-service#2`) the hard way and waits until it is gone. */
export async function killInstance(name: string): Promise<RunningInstance> {
  const instance = e2eStack().instances.find((candidate) => candidate.name === name);
  if (!instance) throw new Error(`no instance ${name} in the stack`);
  instance.process.kill('SIGKILL');
  await instance.process.exited;
  return instance;
}

export function recentLogs(count: number): string[] {
  return logLines.slice(-count);
}

/** Every line the stack's processes (services, nginx) have written so far, unformatted. */
export function collectedLogs(): readonly string[] {
  return rawLogLines;
}

/** The URL of one service database (`shop_order`) as PostgreSQL's superuser. */
function databaseUrl(database: string): string {
  return `postgres://postgres:postgres@127.0.0.1:${PORTS.pgPort}/${database}`;
}

/** Runs `use` on a connection to one service database as PostgreSQL's superuser, closed after. */
export async function withDatabase<T>(database: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl(database) });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

export async function startE2eStack(): Promise<DevStack> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'escalable-e2e-'));
  const stack = await startDevStack({
    ...PORTS,
    dataDir,
    registrationsPerIp: REGISTRATIONS_PER_IP,
    serviceEnv: SERVICE_ENV,
    log: (line, raw) => {
      logLines.push(line);
      rawLogLines.push(raw ?? line);
    },
  }).catch(async (error: unknown) => {
    console.error(logLines.slice(-40).join('\n'));
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  running = { stack, dataDir };
  return stack;
}

/** Stops the stack and says what is left of it: processes, or ports still answering. */
export async function stopE2eStack(): Promise<string[]> {
  if (!running) return [];
  const { stack, dataDir } = running;
  running = undefined;
  await stack.stop();
  const ports = [PORTS.gatewayPort, PORTS.pgPort, ...stack.instances.map((instance) => instance.port)];
  const leftovers = [
    ...stack.instances
      .filter((instance) => !instance.process.hasExited())
      .map((instance) => `${instance.name} is running`),
    ...(await processesMentioning(dataDir)),
    ...(await Promise.all(
      ports.map(async (port) => ((await answers(port)) ? `port ${port} still answers` : '')),
    )),
  ].filter(Boolean);
  await rm(dataDir, { recursive: true, force: true });
  return leftovers;
}

/** PostgreSQL and nginx run with the data dir in their command line. */
async function processesMentioning(text: string): Promise<string[]> {
  const pids = (await readdir('/proc').catch(() => [])).filter((entry) => /^\d+$/.test(entry));
  const found: string[] = [];
  for (const pid of pids) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(text))
      found.push(`process ${pid} is running: ${cmdline.replaceAll('\0', ' ').trim()}`);
  }
  return found;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
