// What every bench section's text shares: when and where it ran, and how figures and goals are written.
import type { LoadFigures } from './load.js';
import { machineLine, type Machine } from './machine.js';

export interface RunContext {
  date: string;
  machine: Machine;
  loadBefore: string;
  loadAfter: string;
  minutes: number;
}

/** The section's first line: figures from another machine, or a busy one, are not comparable. */
export const runLine = (run: RunContext): string =>
  `${run.date}, ${run.minutes.toFixed(1)} minutes. Machine: ${machineLine(run.machine)}. ` +
  `Load average (1, 5, 15 min): ${run.loadBefore} before, ${run.loadAfter} after.`;

export const STACK_LINE =
  'Everything on the same machine: autocannon, nginx, two instances of each service (`node --import tsx ' +
  'src/server.ts`, as the dev stack runs them) and the embedded PostgreSQL, started by the bench on its ' +
  'own ports and data dir.';

export const count = (n: number) => n.toLocaleString('en-US').replaceAll(',', ' ');
export const mb = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(0)} MB`);
export const met = (ok: boolean) => (ok ? 'met' : '**not met**');
export const percent = (share: number) => `${(share * 100).toFixed(0)} %`;

/** `requests/s | p50 / p99 ms | non-2xx / errors` cells of a load table. */
export const loadCells = (load: LoadFigures): string =>
  `${load.requestsPerSecond.toFixed(0)} | ${load.latencyP50Ms} / ${load.latencyP99Ms} | ${load.non2xx} / ${load.errors}`;
