import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { DevStackError } from './errors.js';
import { prefixLines, type Log } from './logs.js';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

export interface ProcessOptions {
  /** Prefix of its log lines: `user-service#1`, `gateway`. */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  log: Log;
  /** A file descriptor for stdout instead of a pipe (nginx needs one it can reopen). */
  stdoutFd?: number;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number | undefined;
  /** Settles when the process has exited, however that happened. */
  readonly exited: Promise<ExitStatus>;
  hasExited(): boolean;
  /** Signals the process and whatever it started (nginx workers). */
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL when it is still running after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

export function startProcess(options: ProcessOptions): ManagedProcess {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', options.stdoutFd ?? 'pipe', 'pipe'],
    // Its own process group: Ctrl-C in the terminal reaches only the stack, which then stops the
    // children in order (gateway first, database last), and a group kill also reaches grandchildren.
    detached: true,
  });
  for (const output of [child.stdout, child.stderr]) {
    if (output) prefixLines(output, options.name, options.log);
  }

  let exitedYet = false;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
  }).finally(() => (exitedYet = true));

  // Signals the whole group even once the leader is gone: nginx workers outlive a killed master.
  const kill = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is already gone
    }
  };

  return {
    name: options.name,
    pid: child.pid,
    exited,
    hasExited: () => exitedYet,
    kill,
    async stop(timeoutMs = 10_000) {
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function describeExit(status: ExitStatus): string {
  if (status.error) return `could not start (${status.error.message})`;
  return status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
}

/** Polls `url` until it answers 2xx; fails as soon as the process exits, or after `timeoutMs`. */
export async function waitForHttp(url: string, child: ManagedProcess, timeoutMs: number): Promise<void> {
  let status: ExitStatus | undefined;
  void child.exited.then((exit) => (status = exit));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (status)
      throw new DevStackError(`${child.name} ${describeExit(status)} before it was ready (its log is above)`);
    if (Date.now() > deadline)
      throw new DevStackError(`${child.name} did not answer ${url} within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}
