// The read path (issue 22): the home page listing through nginx, from one product-service instance
// called directly, and from a bare Express + pg endpoint running the service's one statement
// (bare-listing.ts), so service ÷ bare measures the service's layers only; and `GET /api/categories`
// from the same instance, the catalog section's reference, with and without those layers in the listing.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProcess, waitForHttp, type ManagedProcess } from '../src/dev-stack/processes.js';
import type { BenchStack } from './bench-stack.js';
import { CATEGORY_TREE, ensureLargeCatalog, LARGE_CATALOG } from './catalog.js';
import { measureUrl, type LoadFigures, type LoadSettings } from './load.js';
import { count, loadCells, met, runLine, STACK_LINE, type RunContext } from './report-format.js';

/** The listing the read path measures: the shop's home page, the newest 20 products. */
export const HOME_PAGE = '/api/products?limit=20';
// Beside the stack's ports and the catalog bench's built instance (24 209).
const BARE_PORT = 24_210;
const GOALS = { gatewayOverDirect: 0.85, serviceOverBare: 0.6 };

export interface ReadPathFigures {
  settings: LoadSettings;
  gateway: LoadFigures;
  direct: LoadFigures;
  bare: LoadFigures;
  /** `GET /api/categories` from the same instance as `direct`. */
  categories: LoadFigures;
  /** Whether the service and the baseline answered the same products in the same order. */
  samePage: boolean;
}

export async function benchReadPath(
  bench: BenchStack,
  settings: LoadSettings,
  progress: (line: string) => void,
): Promise<ReadPathFigures> {
  await ensureLargeCatalog(bench, progress);
  const direct = bench.instancesOf('product-service')[0]!;
  const bare = await startBareListing(bench);
  try {
    const samePage = sameIds(
      await pageIds(`${direct.url}${HOME_PAGE}`),
      await pageIds(`http://127.0.0.1:${BARE_PORT}${HOME_PAGE}`),
    );
    progress(`read path: ${HOME_PAGE} through the gateway`);
    const gateway = await measureUrl(`${bench.stack.gatewayUrl}${HOME_PAGE}`, settings);
    progress(`read path: ${HOME_PAGE} from ${direct.name} directly`);
    const fromService = await measureUrl(`${direct.url}${HOME_PAGE}`, settings);
    progress(`read path: ${HOME_PAGE} from the bare Express + pg baseline`);
    const fromBare = await measureUrl(`http://127.0.0.1:${BARE_PORT}${HOME_PAGE}`, settings);
    progress(`read path: ${CATEGORY_TREE} from ${direct.name} directly`);
    const categories = await measureUrl(`${direct.url}${CATEGORY_TREE}`, settings);
    return { settings, gateway, direct: fromService, bare: fromBare, categories, samePage };
  } finally {
    await bare.stop();
  }
}

async function startBareListing(bench: BenchStack): Promise<ManagedProcess> {
  const script = fileURLToPath(new URL('./bare-listing.ts', import.meta.url));
  const child = startProcess({
    name: 'bare listing',
    command: process.execPath,
    // tsx, as the stack runs the services it is compared with.
    args: ['--import', 'tsx', script],
    cwd: path.dirname(script),
    env: { ...process.env, DATABASE_URL: bench.databaseUrlOf('product-service'), PORT: String(BARE_PORT) },
    log: bench.log,
  });
  await waitForHttp(`http://127.0.0.1:${BARE_PORT}/readyz`, child, 60_000).catch(async (error: unknown) => {
    await child.stop();
    throw error;
  });
  return child;
}

async function pageIds(url: string): Promise<string[]> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  const page = (await response.json()) as { items: Array<{ id: string }> };
  return page.items.map((item) => item.id);
}

const sameIds = (a: string[], b: string[]) => a.length > 0 && a.join() === b.join();

export function readPathReport(figures: ReadPathFigures, run: RunContext): string {
  const { settings, gateway, direct, bare, categories } = figures;
  const gatewayRatio = gateway.requestsPerSecond / direct.requestsPerSecond;
  const serviceRatio = direct.requestsPerSecond / bare.requestsPerSecond;
  return [
    '## Read path: GET /api/products through nginx, direct, and bare (`npm run bench`)',
    `${runLine(run)} ${STACK_LINE}`,
    [
      `\`GET ${HOME_PAGE}\` (the home page: the newest 20 of ${count(LARGE_CATALOG)} active products × 3 variants,`,
      'with the total), three ways: through nginx to both product-service instances; from `product-service#1`',
      'directly; and from a bare Express + pg endpoint (`infra/bench/bare-listing.ts`, tsx like the services,',
      'a pool of 10) that runs the one statement product-service builds with its own `plannedPageStatement` (the',
      "page, the products' views as JSON text, and the capped count when the count's plan, kept by the service's",
      "own `countPlans`, says cheap) and answers the text PostgreSQL wrote, with none of the service's layers",
      '(validation, auth, logging, metrics, Sequelize, cursor).',
      `The service and the baseline answered ${figures.samePage ? 'the same products in the same order' : '**different pages**'}.`,
      `${settings.connections} connections, ${settings.warmupSeconds} s warm-up, then ${settings.durationSeconds} s measured each.`,
    ].join(' '),
    [
      `**Goals**: gateway ÷ direct ${gatewayRatio.toFixed(2)} (≥ ${GOALS.gatewayOverDirect}: ${met(gatewayRatio >= GOALS.gatewayOverDirect)});`,
      `service ÷ bare ${serviceRatio.toFixed(2)} (≥ ${GOALS.serviceOverBare}: ${met(serviceRatio >= GOALS.serviceOverBare)}).`,
    ].join(' '),
    [
      `For scale: \`GET ${CATEGORY_TREE}\` from the same instance, the reference of the catalog section's ratios:`,
      `the service's listing reached ${(direct.requestsPerSecond / categories.requestsPerSecond).toFixed(2)} of it,`,
      `the bare endpoint ${(bare.requestsPerSecond / categories.requestsPerSecond).toFixed(2)}.`,
    ].join(' '),
    [
      '| Target | req/s | p50 / p99 ms | non-2xx / errors |',
      '| --- | --- | --- | --- |',
      `| nginx → product-service ×2 | ${loadCells(gateway)} |`,
      `| product-service#1, direct | ${loadCells(direct)} |`,
      `| bare Express + pg, same SQL | ${loadCells(bare)} |`,
      `| product-service#1, direct: \`GET ${CATEGORY_TREE}\` | ${loadCells(categories)} |`,
    ].join('\n'),
  ].join('\n\n');
}
