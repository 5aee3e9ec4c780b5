import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findNginx, renderNginxConf, type UpstreamName } from '../nginx/render.mjs';

/**
 * The nginx binary a suite's \`before\` hook starts: CI must have one (it installs it); elsewhere a
 * machine without nginx skips the suite.
 */
export function nginxOrSkip(suite: Mocha.Context): string {
  const binary = findNginx();
  if (binary) return binary;
  if (process.env.CI === 'true')
    throw new Error('nginx not found on PATH (CI needs it: apt-get install nginx-light)');
  console.warn('    skipped: nginx not found on PATH (Debian/Ubuntu: apt-get install nginx-light)');
  suite.skip();
}

/** What a stand-in service answers: who it is and what reached it. */
export interface Echo {
  instance: string;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** The request headers an answer says it varies with, over every Vary line (gzip adds one of its own). */
export function varyNames(headers: Record<string, string | string[] | undefined>): string[] {
  return [headers.vary].flat().flatMap((line) => line?.split(/\s*,\s*/) ?? []);
}

/** A tiny HTTP server standing in for one instance of a service. */
export interface StandIn {
  readonly instance: string;
  readonly address: string;
  /** Requests that reached this instance. */
  received: Echo[];
  /** When set, every answer has this status (e.g. 502, as a broken instance would). */
  failWith?: number;
  /** When set, every answer waits this long, as a slow instance would. */
  answerAfterMs?: number;
  /** When set, the headers each answer carries besides its Content-Type (e.g. Cache-Control). */
  answerHeaders?: (echo: Echo) => Record<string, string>;
  /** When set, the body of each answer; else the echo as JSON. */
  answerBody?: (echo: Echo) => string;
  close(): Promise<void>;
}

export async function startStandIn(instance: string): Promise<StandIn> {
  const standIn: StandIn = {
    instance,
    address: '',
    received: [],
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const echo: Echo = { instance, method: req.method ?? '', url: req.url ?? '', headers: req.headers };
      standIn.received.push(echo);
      setTimeout(() => {
        res.writeHead(standIn.failWith ?? 200, {
          ...standIn.answerHeaders?.(echo),
          'content-type': 'application/json',
        });
        res.end(standIn.answerBody?.(echo) ?? JSON.stringify(echo));
      }, standIn.answerAfterMs ?? 0);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return Object.assign(standIn, { address: `127.0.0.1:${(server.address() as AddressInfo).port}` });
}

export interface RunningNginx {
  url: string;
  /** nginx's prefix, whose html/ directory the static locations read. */
  prefix: string;
  /** The access log lines written so far, parsed. */
  accessLog(): Promise<Array<Record<string, unknown>>>;
  /** What nginx wrote on stderr (its error log), for failure messages. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Renders gateway.conf around the given upstreams into a temp prefix and runs the real nginx. */
export async function startNginx(
  nginx: string,
  upstreams: Partial<Record<UpstreamName, string[]>>,
  options: { corsOrigins?: readonly string[] } = {},
): Promise<RunningNginx> {
  const prefix = await mkdtemp(path.join(os.tmpdir(), 'gateway-test-'));
  const port = await freePort();
  const { args } = await renderNginxConf({
    prefix,
    listen: `127.0.0.1:${port}`,
    upstreams,
    corsOrigins: options.corsOrigins,
  });
  // The access log goes to /dev/stdout: a file here, since nginx cannot open a socket (what a
  // 'pipe' stdio is) through /dev/stdout.
  const accessLogPath = path.join(prefix, 'access.log');
  const accessLogFile = await open(accessLogPath, 'w');
  const child = spawn(nginx, args, { stdio: ['ignore', accessLogFile.fd, 'pipe'] });
  await accessLogFile.close();
  let stderr = '';
  // Piped above, so never null.
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child);
    await rm(prefix, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  const accessLog = async () =>
    (await readFile(accessLogPath, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { url, prefix, accessLog, stderr: () => stderr, stop };
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('nginx did not answer /healthz within 10 s');
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}
