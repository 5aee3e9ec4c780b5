// One more instance of a service, built and run as its image runs it (its Dockerfile's CMD, production
// mode), beside the bench stack's tsx instances: the dev stack has no build step, and tsx compiling in
// process would count in the memory the image never uses.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadOrCreateSecrets } from '../src/dev-stack/keys.js';
import { startProcess, waitForHttp, type ManagedProcess } from '../src/dev-stack/processes.js';
import { providerEnv } from '../src/dev-stack/sandboxes.js';
import { instanceEnv, SERVICES, type Instance } from '../src/dev-stack/services.js';
import type { BenchStack } from './bench-stack.js';

export interface BuiltInstance {
  url: string;
  process: ManagedProcess;
  /** How it was started, as its image starts it: `node --flag dist/server.js`. */
  command: string;
}

/** Builds `service` as its Dockerfile does (`npm run build`, into its dist/) and starts it on `port`. */
export async function startBuiltInstance(
  bench: BenchStack,
  serviceName: string,
  port: number,
): Promise<BuiltInstance> {
  const service = SERVICES.find((candidate) => candidate.name === serviceName);
  if (!service) throw new Error(`no service ${serviceName}`);
  const cwd = path.join(bench.servicesRoot, service.name);
  await promisify(execFile)('npm', ['run', 'build'], { cwd });
  const instance: Instance = {
    service,
    name: `${service.name} (built)`,
    cwd,
    port,
    url: `http://127.0.0.1:${port}`,
  };
  const env = await instanceEnvOf(bench, instance);
  const args = await imageNodeArguments(cwd);
  const child = startProcess({
    name: instance.name,
    command: process.execPath,
    args,
    cwd,
    env: { ...process.env, ...env, NODE_ENV: 'production' },
    log: bench.log,
  });
  await waitForHttp(`${instance.url}/readyz`, child, 60_000).catch(async (error: unknown) => {
    await child.stop();
    throw error;
  });
  return { url: instance.url, process: child, command: ['node', ...args].join(' ') };
}

/** The settings the bench stack gives `instance` (its own or one more on another port). */
export async function instanceEnvOf(bench: BenchStack, instance: Instance): Promise<Record<string, string>> {
  const secrets = await loadOrCreateSecrets(bench.dataDir);
  return instanceEnv(instance, bench.stack.instances, {
    databaseUrl: () => bench.databaseUrlOf(instance.service.name),
    serviceSecret: secrets.serviceSecret,
    jwtPrivateKey: secrets.jwtPrivateKey,
    admin: bench.stack.admin,
    logLevel: 'info',
    registrationsPerIp: 1000,
    providerEnv: providerEnv(bench.stack.sandboxes, secrets, bench.stack.gatewayUrl),
  });
}

/**
 * The arguments the image gives node: its Dockerfile's `CMD ["node", …]`, read rather than copied, so
 * a flag tuned there (the heap's sizes) is the one measured here.
 */
export async function imageNodeArguments(serviceDir: string): Promise<string[]> {
  const dockerfile = await readFile(path.join(serviceDir, 'Dockerfile'), 'utf8');
  const command = [...dockerfile.matchAll(/^CMD\s+(\[.*\])\s*$/gm)].at(-1)?.[1];
  const [program, ...args] = command ? (JSON.parse(command) as string[]) : [];
  if (program !== 'node')
    throw new Error(`${serviceDir}/Dockerfile: no CMD ["node", …] to run the service as its image does`);
  return args;
}
