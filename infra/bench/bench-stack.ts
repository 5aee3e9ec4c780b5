// The stack `npm run bench` measures: a dev stack of its own (two instances of each service behind nginx,
// the embedded PostgreSQL) on ports away from `npm start`'s and the e2e suite's, with a throwaway data
// dir, so a bench never reads or writes the developer's data.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICES } from '../src/dev-stack/services.js';
import { startDevStack, type DevStack, type RunningInstance } from '../src/dev-stack/stack.js';

const PORTS = { gatewayPort: 28080, pgPort: 57329, portOffset: 20_000 };
// The embedded PostgreSQL's superuser, as src/dev-stack/postgres.ts creates it.
const PG_CREDENTIALS = 'postgres:postgres';

const CHECKOUT = fileURLToPath(new URL('../../', import.meta.url));

export interface BenchStack {
  stack: DevStack;
  /** The stack's keys and service secret, as its services were given them. */
  dataDir: string;
  /** Where the services' folders are. */
  servicesRoot: string;
  /** Where every log line of the stack went: services, nginx's access log. */
  logFile: string;
  /** A superuser URL of one service's database (`product-service`): for ANALYZE and EXPLAIN. */
  databaseUrlOf(service: string): string;
  instancesOf(service: string): RunningInstance[];
  /** Where each line of a process the bench starts beside the stack goes: the stack's log. */
  log(line: string): void;
  stop(): Promise<void>;
}

/** Aborting `signal` during the start stops what has started and rejects. */
export async function startBenchStack(signal?: AbortSignal): Promise<BenchStack> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'escalable-bench-'));
  const logFile = `${dataDir}.log`;
  const log = createWriteStream(logFile);
  const stack = await startDevStack({
    ...PORTS,
    dataDir,
    signal,
    log: (line) => log.write(`${line}\n`),
  }).catch(async (error: unknown) => {
    log.end();
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`the bench stack did not start (its log: ${logFile})`, { cause: error });
  });
  return {
    stack,
    dataDir,
    servicesRoot: CHECKOUT,
    logFile,
    databaseUrlOf(service) {
      const spec = SERVICES.find((candidate) => candidate.name === service);
      if (!spec) throw new Error(`no service ${service}`);
      return `postgres://${PG_CREDENTIALS}@127.0.0.1:${PORTS.pgPort}/${spec.database}`;
    },
    log: (line) => log.write(`${line}\n`),
    instancesOf: (service) => stack.instances.filter((instance) => instance.service.name === service),
    async stop() {
      await stack.stop();
      log.end();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
