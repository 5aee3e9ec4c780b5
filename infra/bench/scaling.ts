// One against two instances of each service behind nginx (issue 22), on the read path and on
// checkout: measured with the stack's two, then with instance #2 of every service stopped through the
// dev stack's controls, which start them again afterwards. The CPU shares say what bounds each figure.
import type { BenchStack } from './bench-stack.js';
import { ensureLargeCatalog } from './catalog.js';
import { checkoutLoad, type CheckoutLoad, type CheckoutSettings } from './checkout.js';
import { describe } from './checkout-report.js';
import { postmasterPid, startCpuMeter, type CpuShares } from './cpu.js';
import { measureUrl, type LoadFigures, type LoadSettings } from './load.js';
import { HOME_PAGE } from './read-path.js';
import { met, percent, runLine, STACK_LINE, type RunContext } from './report-format.js';

const GOAL = 1.5;
/** The machine counts as saturated from this busy share on; a second instance then has no CPU to use. */
const SATURATED = 0.9;

export interface ScalingRun {
  instances: number;
  read: LoadFigures;
  readCpu: CpuShares;
  checkout: CheckoutLoad;
  checkoutCpu: CpuShares;
}

export interface ScalingFigures {
  settings: LoadSettings;
  checkoutSettings: CheckoutSettings;
  runs: [ScalingRun, ScalingRun];
}

export async function benchScaling(
  bench: BenchStack,
  settings: LoadSettings,
  checkoutSettings: CheckoutSettings,
  progress: (line: string) => void,
): Promise<ScalingFigures> {
  await ensureLargeCatalog(bench, progress);
  const postmaster = await postmasterPid(bench.databaseUrlOf('product-service'));
  const measure = async (instances: number): Promise<ScalingRun> => {
    const groups = serviceProcesses(bench);
    progress(`scaling: ${HOME_PAGE} through the gateway, ${instances} instance(s) per service`);
    let meter = await startCpuMeter(groups, postmaster);
    const read = await measureUrl(`${bench.stack.gatewayUrl}${HOME_PAGE}`, settings);
    const readCpu = await meter.stop();
    progress(`scaling: checkout, ${instances} instance(s) per service`);
    meter = await startCpuMeter(groups, postmaster);
    const checkout = await checkoutLoad(bench, checkoutSettings);
    const checkoutCpu = await meter.stop();
    return { instances, read, readCpu, checkout, checkoutCpu };
  };
  const two = await measure(2);
  const second = bench.stack.instances.filter((instance) => instance.name.endsWith('#2'));
  try {
    progress(`scaling: stopping ${second.map((instance) => instance.name).join(', ')}`);
    await Promise.all(second.map((instance) => instance.process.stop()));
    const one = await measure(1);
    return { settings, checkoutSettings, runs: [two, one] };
  } finally {
    progress('scaling: starting them again');
    for (const instance of second) await bench.stack.restart(instance.name);
  }
}

/** The running instances' process ids, by service. */
function serviceProcesses(bench: BenchStack): Record<string, number[]> {
  const groups: Record<string, number[]> = {};
  for (const instance of bench.stack.instances) {
    if (instance.process.hasExited() || instance.process.pid === undefined) continue;
    (groups[instance.service.name] ??= []).push(instance.process.pid);
  }
  return groups;
}

export function scalingReport(figures: ScalingFigures, run: RunContext): string {
  const [two, one] = figures.runs;
  const { settings, checkoutSettings } = figures;
  const rows = [
    row(
      'read path',
      one.read.requestsPerSecond,
      two.read.requestsPerSecond,
      one.readCpu,
      two.readCpu,
      'req/s',
    ),
    row(
      'checkout',
      one.checkout.ordersPerSecond,
      two.checkout.ordersPerSecond,
      one.checkoutCpu,
      two.checkoutCpu,
      'orders/s',
    ),
  ];
  return [
    '## One against two instances per service (`npm run bench`)',
    `${runLine(run)} ${STACK_LINE}`,
    [
      `The read path (\`GET ${HOME_PAGE}\` through nginx, ${settings.connections} connections,`,
      `${settings.warmupSeconds} s warm-up, ${settings.durationSeconds} s measured) and checkout`,
      `(${checkoutSettings.buyers} buyers, ${checkoutSettings.warmupSeconds} s warm-up, ${checkoutSettings.durationSeconds} s measured, as in the checkout section),`,
      "first with the stack's two instances of each service, then with instance #2 of every service stopped",
      "(nginx and the services' clients send everything to #1), after which they are started again.",
      "CPU: each process's time from /proc over the measured load and its warm-up, as a share of both cores:",
      'PostgreSQL (every backend), the services, the bench itself (autocannon, the buyers) and the rest',
      '(nginx, anything else on the machine). The bound: the database when PostgreSQL uses as much CPU as',
      `every service together, or a full core; else the machine's cores when they are ≥ ${percent(SATURATED)} busy`,
      '(a second instance then has no core to run on); else the service using the most. The goal applies',
      'where the database is not the bound.',
    ].join(' '),
    `**Goals**: ${rows.map((r) => r.goal).join('; ')}.`,
    [
      '| Load | one instance | two instances | two ÷ one (≥ 1.5) | CPU with one | CPU with two | bound with one |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map((r) => r.line),
    ].join('\n'),
    [
      'Failures: read path non-2xx / errors',
      `${one.read.non2xx} / ${one.read.errors} with one, ${two.read.non2xx} / ${two.read.errors} with two;`,
      `checkout not 201: ${failures(one.checkout)} with one, ${failures(two.checkout)} with two.`,
    ].join(' '),
  ].join('\n\n');
}

function row(load: string, one: number, two: number, cpuOne: CpuShares, cpuTwo: CpuShares, unit: string) {
  const ratio = one > 0 ? two / one : 0;
  const bound = boundOf(cpuOne);
  const databaseBound = bound.startsWith('PostgreSQL');
  const verdict = databaseBound ? 'not applicable: the database is the bound' : met(ratio >= GOAL);
  return {
    goal: `${load} two ÷ one ${ratio.toFixed(2)} (≥ ${GOAL}: ${verdict})`,
    line: `| ${load} | ${one.toFixed(1)} ${unit} | ${two.toFixed(1)} ${unit} | ${ratio.toFixed(2)} ${verdict} | ${shares(cpuOne)} | ${shares(cpuTwo)} | ${bound} |`,
  };
}

/** What bounds a load, from where the CPU went: see the section's text. */
function boundOf(cpu: CpuShares): string {
  const postgres = cpu.shares.PostgreSQL ?? 0;
  const services = Object.entries(cpu.shares).filter(([name]) => name.endsWith('-service'));
  const servicesShare = services.reduce((sum, [, share]) => sum + share, 0);
  if (postgres >= servicesShare || postgres >= 0.5)
    return `PostgreSQL (${percent(postgres)}, the services ${percent(servicesShare)})`;
  if (cpu.machine >= SATURATED) return `the machine's cores (${percent(cpu.machine)} busy)`;
  const [busiest, busiestShare] = services.sort((a, b) => b[1] - a[1])[0] ?? ['—', 0];
  return `${busiest} (${percent(busiestShare)}), the machine not saturated`;
}

/** `machine 97 %: PostgreSQL 30 %, product-service 40 %, …`, the largest first, those under 1 % left out. */
function shares(cpu: CpuShares): string {
  const parts = Object.entries(cpu.shares)
    .filter(([, share]) => share >= 0.01)
    .sort((a, b) => b[1] - a[1])
    .map(([name, share]) => `${name} ${percent(share)}`);
  return `machine ${percent(cpu.machine)}: ${parts.join(', ')}`;
}

const failures = (load: CheckoutLoad) => describe(load.failures) || '0';
