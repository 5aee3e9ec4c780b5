// Peak RSS of each service's process under load (issue 22), built as in its image: instance #2 of
// every service is swapped for one built and run as its Dockerfile does (`npm run build`,
// `NODE_ENV=production` and its Dockerfile's CMD, heap flags included) on the same port, so nginx and
// the other services send it its share of the read path, checkout and logins; the tsx instance #1
// beside it is sampled too.
import type { BenchStack } from './bench-stack.js';
import { startBuiltInstance, type BuiltInstance } from './built-instance.js';
import { ensureLargeCatalog } from './catalog.js';
import { checkoutLoad, type CheckoutSettings } from './checkout.js';
import { measureUrl, type LoadSettings } from './load.js';
import { customersFor, loginRequests, registerCustomers } from './login.js';
import { HOME_PAGE } from './read-path.js';
import { mb, met, runLine, STACK_LINE, type RunContext } from './report-format.js';
import { sampleRss } from './rss.js';

const GOAL_MB = 150;

export interface MemoryFigures {
  settings: LoadSettings;
  checkoutSettings: CheckoutSettings;
  /** By service: the built instance's peak, or why it could not be built or started. */
  built: Record<string, { peakMb: number } | { failed: string }>;
  /** By instance name: the tsx instances' peaks. */
  tsx: Record<string, number>;
}

export async function benchMemory(
  bench: BenchStack,
  settings: LoadSettings,
  checkoutSettings: CheckoutSettings,
  progress: (line: string) => void,
): Promise<MemoryFigures> {
  await ensureLargeCatalog(bench, progress);
  const second = bench.stack.instances.filter((instance) => instance.name.endsWith('#2'));
  const built: Record<string, BuiltInstance> = {};
  const failed: Record<string, { failed: string }> = {};
  try {
    for (const instance of second) {
      progress(`memory: building ${instance.service.name} and starting it in place of ${instance.name}`);
      const name = instance.service.name;
      await instance.process.stop();
      try {
        built[name] = await startBuiltInstance(bench, name, instance.port);
      } catch (error) {
        failed[name] = { failed: error instanceof Error ? error.message : String(error) };
        await bench.stack.restart(instance.name);
      }
    }
    const first = bench.stack.instances.filter((instance) => instance.name.endsWith('#1'));
    const rss = sampleRss({
      ...Object.fromEntries(
        Object.entries(built).map(([name, instance]) => [name, instance.process.pid ?? 0]),
      ),
      ...Object.fromEntries(first.map((instance) => [instance.name, instance.process.pid ?? 0])),
    });
    progress(`memory: ${HOME_PAGE} through the gateway`);
    await measureUrl(`${bench.stack.gatewayUrl}${HOME_PAGE}`, settings);
    progress('memory: checkout');
    await checkoutLoad(bench, checkoutSettings);
    const userService = built['user-service'];
    if (userService) {
      progress('memory: logins on the built user-service');
      const customers = await registerCustomers(userService.url, customersFor(settings));
      await measureUrl(`${userService.url}/api/auth/login`, settings, { shape: loginRequests(customers) });
    }
    const peaks = await rss.stop();
    return {
      settings,
      checkoutSettings,
      built: {
        ...Object.fromEntries(Object.keys(built).map((name) => [name, { peakMb: peaks[name] ?? 0 }])),
        ...failed,
      },
      tsx: Object.fromEntries(first.map((instance) => [instance.name, peaks[instance.name] ?? 0])),
    };
  } finally {
    progress('memory: the tsx instances #2 again');
    // Every built instance stops before any restart, so a restart that fails leaves none running.
    await Promise.all(Object.values(built).map((instance) => instance.process.stop()));
    for (const name of Object.keys(built)) await bench.stack.restart(`${name}#2`);
  }
}

export function memoryReport(figures: MemoryFigures, run: RunContext): string {
  const { settings, checkoutSettings } = figures;
  const measured = Object.entries(figures.built).flatMap(([name, figure]) =>
    'peakMb' in figure ? [[name, figure.peakMb] as const] : [],
  );
  const within = measured.filter(([, peak]) => peak <= GOAL_MB);
  return [
    '## Memory: peak RSS of each service under load (`npm run bench`)',
    `${runLine(run)} ${STACK_LINE}`,
    [
      'Instance #2 of every service is replaced, on its own port, by one built as in its image (`npm run',
      "build`, `NODE_ENV=production` and its Dockerfile's `CMD` with its heap flags, this machine's Node",
      "rather than the image's);",
      'nginx and the other services send it its share of the load. Under it, in turn: the read path',
      `(\`GET ${HOME_PAGE}\` through nginx, ${settings.connections} connections, ${settings.warmupSeconds} + ${settings.durationSeconds} s),`,
      `checkout (${checkoutSettings.buyers} buyers, ${checkoutSettings.warmupSeconds} + ${checkoutSettings.durationSeconds} s), and logins on the built user-service`,
      `directly (${settings.connections} connections). RSS sampled every 0.5 s from /proc; the tsx instances #1`,
      '(`node --import tsx src/server.ts`, which compile TypeScript in process) beside them, for comparison.',
    ].join(' '),
    `**Goal**: ${within.length} of ${Object.keys(figures.built).length} services built as in their image peak at ≤ ${GOAL_MB} MB.`,
    [
      `| Service | built: peak RSS | ≤ ${GOAL_MB} MB | tsx #1: peak RSS |`,
      '| --- | --- | --- | --- |',
      ...Object.entries(figures.built).map(([name, figure]) => {
        const tsx = mb(figures.tsx[`${name}#1`]);
        return 'peakMb' in figure
          ? `| ${name} | ${mb(figure.peakMb)} | ${met(figure.peakMb <= GOAL_MB)} | ${tsx} |`
          : `| ${name} | not measured: ${figure.failed.replaceAll('|', '/').slice(0, 200)} | — | ${tsx} |`;
      }),
    ].join('\n'),
  ].join('\n\n');
}
