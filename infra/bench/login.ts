// Sign-in (issue 22): logins per second of one user-service instance, called directly (the gateway
// limits /api/auth per address, and every bench request comes from one), with the argon2 parameters and
// the hashing pool that instance runs with, read from user-service's own code and config.
import { randomUUID } from 'node:crypto';
import type { BenchStack } from './bench-stack.js';
import { instanceEnvOf } from './built-instance.js';
import { measureUrl, type LoadFigures, type LoadSettings, type RequestShape } from './load.js';
import { loadCells, runLine, STACK_LINE, type RunContext } from './report-format.js';

export interface LoginFigures {
  settings: LoadSettings;
  instance: string;
  /** How many accounts sign in in turn (see customersFor). */
  customers: number;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  /** PASSWORD_HASHING_CONCURRENCY and PASSWORD_HASHING_QUEUE as the instance's config reads them. */
  hashing: { concurrency: number; queue: number };
  load: LoadFigures;
}

// The parts of user-service the bench reads, as its source declares them.
interface UserServicePasswords {
  ARGON2_OPTIONS: { memoryCost: number; timeCost: number; parallelism: number };
}
interface UserServiceConfig {
  readConfig(env: Record<string, string>): {
    PASSWORD_HASHING_CONCURRENCY: number;
    PASSWORD_HASHING_QUEUE: number;
  };
}
const SOURCE = new URL('../../user-service/src/', import.meta.url);
const load = <T>(file: string) => import(new URL(file, SOURCE).href) as Promise<T>;

export async function benchLogin(
  bench: BenchStack,
  settings: LoadSettings,
  progress: (line: string) => void,
): Promise<LoginFigures> {
  const instance = bench.instancesOf('user-service')[0]!;
  const { ARGON2_OPTIONS } = await load<UserServicePasswords>('domain/passwords.ts');
  const { readConfig } = await load<UserServiceConfig>('config.ts');
  const config = readConfig(await instanceEnvOf(bench, instance));
  const customers = await registerCustomers(instance.url, customersFor(settings));
  progress(`login: POST /api/auth/login on ${instance.name} directly`);
  const figures = await measureUrl(`${instance.url}/api/auth/login`, settings, {
    shape: loginRequests(customers),
  });
  const { memoryCost, timeCost, parallelism } = ARGON2_OPTIONS;
  return {
    settings,
    instance: instance.name,
    customers: customers.length,
    argon2: { memoryCost, timeCost, parallelism },
    hashing: { concurrency: config.PASSWORD_HASHING_CONCURRENCY, queue: config.PASSWORD_HASHING_QUEUE },
    load: figures,
  };
}

interface Credentials {
  email: string;
  password: string;
}

/**
 * Two customers per connection, signing in in turn, as many people do: one account signing in on every
 * connection at once would measure the throttle's wait for checks in flight (a sixth attempt of one
 * account waits for the five being checked), not argon2.
 */
export const customersFor = (settings: LoadSettings) => settings.connections * 2;

/** New customers, registered on user-service at `url`. */
export async function registerCustomers(url: string, count: number): Promise<Credentials[]> {
  const customers: Credentials[] = [];
  for (let index = 0; index < count; index++) {
    const credentials = {
      email: `bench-login-${randomUUID().slice(0, 8)}@example.test`,
      password: 'Bench-login-password-1',
    };
    const response = await fetch(`${url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...credentials, name: 'Bench Login' }),
    });
    if (!response.ok)
      throw new Error(`registering a bench customer: ${response.status} ${await response.text()}`);
    customers.push(credentials);
  }
  return customers;
}

/** POST /api/auth/login bodies, the customers in turn. */
export const loginRequests = (customers: Credentials[]): RequestShape => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  bodies: customers.map((customer) => JSON.stringify(customer)),
});

export function loginReport(figures: LoginFigures, run: RunContext): string {
  const { settings, argon2, hashing, load } = figures;
  return [
    '## Login: POST /api/auth/login on one user-service instance (`npm run bench`)',
    `${runLine(run)} ${STACK_LINE}`,
    [
      `${figures.customers} customers sign in in turn, again and again, on \`${figures.instance}\` directly (the gateway limits`,
      '`/api/auth` to 10 requests/s per address, and the bench is one address), with the right password:',
      'each login is one argon2id verification, a refresh token written and an access token signed.',
      `argon2id with m = ${argon2.memoryCost} KiB (${(argon2.memoryCost / 1024).toFixed(0)} MiB), t = ${argon2.timeCost}, p = ${argon2.parallelism}`,
      "(user-service's `ARGON2_OPTIONS`); the instance computes",
      `${hashing.concurrency} at once and lets ${hashing.queue} wait (its config's \`PASSWORD_HASHING_CONCURRENCY\``,
      'and `PASSWORD_HASHING_QUEUE`), past which it answers 503.',
      `${settings.connections} connections, ${settings.warmupSeconds} s warm-up, then ${settings.durationSeconds} s measured.`,
      'No goal is set for it: the figure says how many sign-ins one instance absorbs.',
    ].join(' '),
    [
      '| Instance | logins/s | p50 / p99 ms | non-2xx / errors |',
      '| --- | --- | --- | --- |',
      `| ${figures.instance} | ${loadCells(load)} |`,
    ].join('\n'),
  ].join('\n\n');
}
