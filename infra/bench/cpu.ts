// Where the machine's CPU went during a load: PostgreSQL (every backend of its postmaster), each
// service's processes, the bench itself (autocannon, the buyers), and the rest (nginx, anything else
// running), as shares of all cores over the wall time: which of them bounds the figure.
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import pg from 'pg';

/** Linux's USER_HZ: the unit of /proc's CPU times on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

export interface CpuShares {
  /** Busy share of the whole machine (all cores), 0…1. */
  machine: number;
  /** By name: `PostgreSQL`, each group given, `bench`, and `other` (the machine's busy time left). */
  shares: Record<string, number>;
  /** CPU seconds the machine had during the count (wall time × cores): a share of it is CPU time. */
  capacitySeconds: number;
}

export interface CpuMeter {
  stop(): Promise<CpuShares>;
}

interface Reading {
  at: number;
  machineBusy: number;
  groups: Record<string, number>;
  bench: number;
}

/**
 * Starts counting: `groups` names process ids (a service's instances), `postmaster` is PostgreSQL's
 * main process. A backend that ends during the load is counted through its parent's children's times.
 */
export async function startCpuMeter(groups: Record<string, number[]>, postmaster: number): Promise<CpuMeter> {
  const read = async (): Promise<Reading> => ({
    at: performance.now(),
    machineBusy: await machineBusySeconds(),
    groups: {
      PostgreSQL: await postgresSeconds(postmaster),
      ...Object.fromEntries(
        await Promise.all(
          Object.entries(groups).map(async ([name, pids]) => [
            name,
            (await Promise.all(pids.map(processSeconds))).reduce((sum, seconds) => sum + seconds, 0),
          ]),
        ),
      ),
    },
    bench: benchSeconds(),
  });
  const before = await read();
  return {
    async stop() {
      const after = await read();
      const capacity = ((after.at - before.at) / 1000) * os.cpus().length;
      const share = (seconds: number) => Math.max(0, seconds) / capacity;
      const shares: Record<string, number> = {};
      for (const name of Object.keys(after.groups))
        shares[name] = share(after.groups[name]! - (before.groups[name] ?? 0));
      shares.bench = share(after.bench - before.bench);
      const machine = share(after.machineBusy - before.machineBusy);
      const known = Object.values(shares).reduce((sum, value) => sum + value, 0);
      shares.other = Math.max(0, machine - known);
      return { machine, shares, capacitySeconds: capacity };
    },
  };
}

/** PostgreSQL's main process id: the parent of the backend serving a connection to `databaseUrl`. */
export async function postmasterPid(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return (await stat(rows[0]!.pid))?.ppid ?? 0;
  } finally {
    await client.end();
  }
}

interface Stat {
  ppid: number;
  /** Its own CPU seconds, and those of its children it has waited for. */
  ownSeconds: number;
  childrenSeconds: number;
}

async function stat(pid: number): Promise<Stat | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  // Fields after the command name, which may hold spaces: state, ppid, … utime (14), stime, cutime, cstime.
  const fields = text
    .slice(text.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const ticks = (index: number) => (fields[index - 3] ?? 0) / TICKS_PER_SECOND;
  return { ppid: fields[1]!, ownSeconds: ticks(14) + ticks(15), childrenSeconds: ticks(16) + ticks(17) };
}

async function processSeconds(pid: number): Promise<number> {
  const found = await stat(pid);
  return found ? found.ownSeconds + found.childrenSeconds : 0;
}

async function postgresSeconds(postmaster: number): Promise<number> {
  const main = await stat(postmaster);
  if (!main) return 0;
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const children = await Promise.all(pids.map(stat));
  const live = children
    .filter((child) => child?.ppid === postmaster)
    .reduce((sum, child) => sum + child!.ownSeconds, 0);
  return main.ownSeconds + main.childrenSeconds + live;
}

async function machineBusySeconds(): Promise<number> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!;
  // cpu user nice system idle iowait irq softirq steal …
  const [user, nice, system, , , irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number);
  return (
    ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) /
    TICKS_PER_SECOND
  );
}

function benchSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
