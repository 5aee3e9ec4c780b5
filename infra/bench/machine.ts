// What a figure was measured on: figures from different machines, or from a busy one, are not comparable.
import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import { findNginx } from '@escalable/gateway/render';
import pg from 'pg';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  /** Undefined when no database was named to ask. */
  postgres?: string;
  nginx: string;
}

/** The machine, and the versions of PostgreSQL (asked at `databaseUrl`) and nginx that served the run. */
export async function describeMachine(databaseUrl?: string): Promise<Machine> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGb: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: databaseUrl ? await postgresVersion(databaseUrl) : undefined,
    nginx: await nginxVersion(),
  };
}

export const machineLine = (machine: Machine): string =>
  `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}, ` +
  `${machine.postgres ? `PostgreSQL ${machine.postgres}, ` : ''}nginx ${machine.nginx}`;

/** The 1-, 5- and 15-minute load averages: how busy the machine was besides the bench. */
export const loadAverage = (): string =>
  os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');

async function postgresVersion(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}

async function nginxVersion(): Promise<string> {
  const nginx = findNginx();
  if (!nginx) return 'not found';
  // nginx -v writes "nginx version: nginx/1.22.1" to stderr.
  const { stderr } = await promisify(execFile)(nginx, ['-v']);
  return /nginx\/(\S+)/.exec(stderr)?.[1] ?? stderr.trim();
}
