// The catalog bench (issue 19): the same listings measured at 200 and at 50 000 products, each beside
// GET /api/categories in the same run, with PostgreSQL's time per listing and product-service's memory.
import { ShopClient } from '@escalable/shop-sdk';
import { REQUEST_SESSION_OPTIONS } from '@escalable/shop-sdk/server';
import { setTimeout } from 'node:timers/promises';
import pg from 'pg';
import type { BenchStack } from './bench-stack.js';
import {
  CATEGORIES,
  COMMON_WORD,
  NARROW_PRICE_RANGE,
  PRICE_RANGE,
  catalogLines,
  createBenchCategories,
  importCatalog,
} from './catalog-seed.js';
import { postmasterPid, startCpuMeter } from './cpu.js';
import { explainAnalyze, type PlanFigures } from './explain.js';
import { openListingSql, type ListingQuery, type ListingSql } from './listing-sql.js';
import { measureUrl, type LoadFigures, type LoadSettings } from './load.js';
import { sampleRss } from './rss.js';
import { startBuiltInstance } from './built-instance.js';

export const SMALL_CATALOG = 200;
/** The reference every listing's throughput is compared with. */
export const CATEGORY_TREE = '/api/categories';
export const LARGE_CATALOG = 50_000;
const PAGE = 20;
const SORTS = ['newest', 'price', '-price', 'name', 'relevance'] as const;
const MID_SORTS = ['price', '-price', 'name', 'newest'] as const;

export interface Listing {
  label: string;
  query: ListingQuery;
}

export interface ListingFigures extends Listing {
  /** Undefined when the listing did not answer 2xx before the load: `refused` says what it answered. */
  load?: LoadFigures;
  refused?: string;
  /** The products on its page, read once before the load: a small catalog may not fill it. */
  shown?: number;
  plans?: ListingPlans;
  planError?: string;
  /**
   * `GET /api/categories` measured just before the listing, at the large catalog: the ratio's other
   * side, so a drift of the machine in the minutes between two measurements does not enter it.
   */
  reference?: LoadFigures;
}

export interface ListingPlans {
  page: PlanFigures;
  count: PlanFigures;
  /** Whether product-service runs the count, or only plans it (its estimate is then the total). */
  countRuns: boolean;
}

export interface CatalogPhase {
  products: number;
  categories: LoadFigures;
  listings: ListingFigures[];
  /** Peak RSS per product-service instance during the phase's load, MB. */
  rssPeakMb: Record<string, number>;
}

export interface CatalogFigures {
  settings: LoadSettings;
  /** How long each import request of the large catalog took, ms. */
  importMs: number[];
  vacuumAnalyzeMs: number;
  phases: CatalogPhase[];
  /** product-service built as in its image, loaded directly with every listing of the large catalog. */
  built: BuiltFigures | { failed: string };
  /** A few reads of the large catalog answered by the gateway's micro-cache, apart from the rest. */
  microCache: MicroCacheFigures;
}

/** What visitors get from the gateway's micro-cache (every other figure asks past it). */
export interface MicroCacheFigures {
  categories: LoadFigures;
  listings: Array<Listing & { load: LoadFigures }>;
}

export interface BuiltFigures {
  /** As its Dockerfile's CMD starts it. */
  command: string;
  idleMb: number;
  peakMb: number;
  /** Seconds of load on each listing, and the requests answered in all. */
  secondsPerListing: number;
  requests: number;
  non2xx: number;
}

// A port beside the bench stack's product-service instances, outside the gateway's upstream.
const BUILT_PORT = 24_209;
const BUILT_SECONDS_PER_LISTING = 3;

/** The reads measured through the micro-cache: the home page, a category by price, a search. */
const MICRO_CACHED: Listing[] = [
  { sort: 'newest' },
  { category: CATEGORIES.large, sort: 'price' },
  { q: COMMON_WORD, sort: 'relevance' },
].map((query) => listing({ ...query, limit: PAGE } as ListingQuery));

/** Every listing the bench measures, the deep pages aside (they depend on the catalog's size). */
export const LISTINGS: Listing[] = [
  ...SORTS.flatMap((sort) => {
    const search = sort === 'relevance' ? { q: COMMON_WORD } : {};
    return [
      { ...search, sort },
      { category: CATEGORIES.large, ...search, sort },
    ];
  }),
  { category: CATEGORIES.small, sort: 'price' },
  { category: CATEGORIES.large, sort: 'price', ...PRICE_RANGE },
  // A category of a few percent of the catalog, reached through its parent.
  ...MID_SORTS.flatMap((sort) => [
    { category: CATEGORIES.midParent, sort },
    { category: CATEGORIES.midParent, sort, ...PRICE_RANGE },
  ]),
  { inStock: true, sort: 'newest' },
  // A narrow range on sorts with an index of their own: read along the price index, not the sort's.
  { sort: 'newest', ...NARROW_PRICE_RANGE },
  { category: CATEGORIES.large, sort: 'name', ...NARROW_PRICE_RANGE },
].map((query) => listing({ ...query, limit: PAGE } as ListingQuery));

function queryString(query: ListingQuery): string {
  return new URLSearchParams(
    Object.entries(query)
      .filter(([key]) => key !== 'limit')
      .map(([key, value]) => [key, String(value)]),
  ).toString();
}

/** A listing named by its query, the page size left out: it is the same everywhere. */
function listing(query: ListingQuery, label = queryString(query)): Listing {
  return { label, query };
}

export async function benchCatalog(
  bench: BenchStack,
  settings: LoadSettings,
  progress: (line: string) => void,
): Promise<CatalogFigures> {
  const { gatewayUrl } = bench.stack;
  const admin = new ShopClient({ baseUrl: gatewayUrl, timeoutMs: 60_000 });
  await admin.auth.login(bench.stack.admin);
  await createBenchCategories(admin);
  const databaseUrl = bench.databaseUrlOf('product-service');
  // Its EXPLAINs plan as the service's sessions do.
  const database = new pg.Client({ connectionString: databaseUrl, options: REQUEST_SESSION_OPTIONS });
  // PostgreSQL ending the idle connection (Ctrl-C reaches it too) must not crash the bench before it
  // stops its stack; the next query fails instead.
  database.on('error', () => undefined);
  await database.connect();
  const sql = await openListingSql(databaseUrl);
  try {
    progress(`importing ${SMALL_CATALOG} products`);
    await importCatalog(admin, catalogLines(0, SMALL_CATALOG, SMALL_CATALOG));
    await vacuumAnalyze(database);
    const small = await measurePhase(bench, database, sql, settings, { products: SMALL_CATALOG }, progress);

    progress(`importing ${LARGE_CATALOG - SMALL_CATALOG} more products`);
    // The admin's access token may have expired during the first phase.
    await admin.auth.login(bench.stack.admin);
    const importMs: number[] = [];
    const rest = catalogLines(SMALL_CATALOG, LARGE_CATALOG - SMALL_CATALOG, SMALL_CATALOG);
    await importCatalog(admin, rest, (done, ms) => {
      importMs.push(ms);
      progress(`  ${SMALL_CATALOG + done} products (${(ms / 1000).toFixed(1)} s)`);
    });
    const vacuumAnalyzeMs = await vacuumAnalyze(database);
    const large = await measurePhase(
      bench,
      database,
      sql,
      settings,
      { products: LARGE_CATALOG, referencePerListing: true },
      progress,
    );
    const microCache = await measureMicroCache(gatewayUrl, settings, progress);
    progress('product-service built as in its image, under the listings');
    const built = await measureBuilt(bench, large.listings, settings.connections).catch((error: unknown) => ({
      failed: error instanceof Error ? error.message : String(error),
    }));
    return { settings, importMs, vacuumAnalyzeMs, phases: [small, large], built, microCache };
  } finally {
    await sql.close();
    await database.end();
  }
}

/**
 * The large catalog for a section that measures the shop at its size without the catalog's phases
 * (run alone, or before it): imported in one go, vacuumed and analyzed, unless the stack already holds it.
 */
export async function ensureLargeCatalog(bench: BenchStack, progress: (line: string) => void): Promise<void> {
  const { gatewayUrl } = bench.stack;
  const probe = await fetch(`${gatewayUrl}${listingPath({ category: CATEGORIES.large, limit: 1 })}`);
  await probe.body?.cancel();
  if (probe.ok) return;
  progress(`importing ${LARGE_CATALOG} products`);
  const admin = new ShopClient({ baseUrl: gatewayUrl, timeoutMs: 60_000 });
  await admin.auth.login(bench.stack.admin);
  await createBenchCategories(admin);
  await importCatalog(admin, catalogLines(0, LARGE_CATALOG, SMALL_CATALOG), (done, ms) =>
    progress(`  ${done} products (${(ms / 1000).toFixed(1)} s)`),
  );
  const database = new pg.Client({ connectionString: bench.databaseUrlOf('product-service') });
  database.on('error', () => undefined);
  await database.connect();
  await vacuumAnalyze(database).finally(() => database.end());
}

/**
 * Autovacuum would vacuum and analyze the new rows within its one-minute nap, in the middle of the
 * measurements; until then PostgreSQL plans for the catalog as it was, and its index-only scans visit
 * the table for rows not yet marked all-visible: the figures would measure the import's aftermath
 * instead of the listing. What an operator runs after a bulk load.
 */
async function vacuumAnalyze(database: pg.Client): Promise<number> {
  const began = performance.now();
  await database.query('VACUUM (ANALYZE)');
  return performance.now() - began;
}

async function measurePhase(
  bench: BenchStack,
  database: pg.Client,
  sql: ListingSql,
  settings: LoadSettings,
  { products, referencePerListing = false }: { products: number; referencePerListing?: boolean },
  progress: (line: string) => void,
): Promise<CatalogPhase> {
  const { gatewayUrl } = bench.stack;
  const listings = [...LISTINGS, ...(await deepPages(gatewayUrl, products))];
  const instances = bench.instancesOf('product-service').map((i) => [i.name, i.process.pid ?? 0] as const);
  const rss = sampleRss(Object.fromEntries(instances));
  const postmaster = await postmasterPid(bench.databaseUrlOf('product-service'));
  const services = { 'product-service': instances.map(([, pid]) => pid) };
  const cpu = () => startCpuMeter(services, postmaster);
  const measureCategories = () => {
    progress(`${products} products: GET ${CATEGORY_TREE}`);
    return measureUrl(`${gatewayUrl}${CATEGORY_TREE}`, settings, { cpu });
  };
  const categories = await measureCategories();
  const measured: ListingFigures[] = [];
  for (const listing of listings) {
    const path = listingPath(listing.query);
    const { refused, shown } = await readOnce(`${gatewayUrl}${path}`);
    if (refused) {
      measured.push({ ...listing, refused });
      continue;
    }
    const reference = referencePerListing ? await measureCategories() : undefined;
    progress(`${products} products: ${listing.label}`);
    const load = await measureUrl(`${gatewayUrl}${path}`, settings, { cpu });
    measured.push({ ...listing, shown, load, ...(reference && { reference }) });
  }
  const rssPeakMb = await rss.stop();
  for (const listing of measured) {
    try {
      const statements = await sql.statementsFor(listing.query);
      const count = await explainAnalyze(database, statements.count);
      listing.plans = {
        page: await explainAnalyze(database, statements.page),
        count,
        countRuns: statements.counted,
      };
    } catch (error) {
      listing.planError = error instanceof Error ? error.message : String(error);
    }
  }
  return { products, categories, listings: measured, rssPeakMb };
}

async function measureMicroCache(
  gatewayUrl: string,
  settings: LoadSettings,
  progress: (line: string) => void,
): Promise<MicroCacheFigures> {
  progress(`${LARGE_CATALOG} products, through the micro-cache: GET ${CATEGORY_TREE}`);
  const categories = await measureUrl(`${gatewayUrl}${CATEGORY_TREE}`, settings, { cacheUse: 'cached' });
  const listings: MicroCacheFigures['listings'] = [];
  for (const cached of MICRO_CACHED) {
    progress(`${LARGE_CATALOG} products, through the micro-cache: ${cached.label}`);
    const url = `${gatewayUrl}${listingPath(cached.query)}`;
    listings.push({ ...cached, load: await measureUrl(url, settings, { cacheUse: 'cached' }) });
  }
  return { categories, listings };
}

/** The memory of one built instance, idle and then under each listing in turn, without the gateway. */
async function measureBuilt(
  bench: BenchStack,
  listings: Listing[],
  connections: number,
): Promise<BuiltFigures> {
  const instance = await startBuiltInstance(bench, 'product-service', BUILT_PORT);
  try {
    const idle = sampleRss({ built: instance.process.pid ?? 0 });
    await setTimeout(1_000);
    const idleMb = (await idle.stop()).built ?? 0;
    const rss = sampleRss({ built: instance.process.pid ?? 0 });
    const figures = { requests: 0, non2xx: 0 };
    for (const listing of listings) {
      const load = await measureUrl(`${instance.url}${listingPath(listing.query)}`, {
        connections,
        warmupSeconds: 0,
        durationSeconds: BUILT_SECONDS_PER_LISTING,
      });
      figures.requests += load.requests;
      figures.non2xx += load.non2xx + load.errors;
    }
    const peakMb = (await rss.stop()).built ?? 0;
    return {
      command: instance.command,
      idleMb,
      peakMb,
      secondsPerListing: BUILT_SECONDS_PER_LISTING,
      ...figures,
    };
  } finally {
    await instance.process.stop();
  }
}

/**
 * The last page of the large category, reached by offset, and by the cursor the page before it
 * answers: the cursor reads its page from the index, the offset walks past every row before it.
 */
async function deepPages(gatewayUrl: string, products: number): Promise<Listing[]> {
  const base: ListingQuery = { category: CATEGORIES.large, sort: 'price', limit: PAGE };
  const lastOffset = products - PAGE;
  const before = await fetch(`${gatewayUrl}${listingPath({ ...base, offset: lastOffset - PAGE })}`);
  const page = (await before.json()) as { nextCursor?: string | null };
  const byOffset = listing({ ...base, offset: lastOffset }, `${queryString(base)}&offset=(last page)`);
  if (!page.nextCursor) return [byOffset];
  const byCursor = listing({ ...base, after: page.nextCursor }, `${queryString(base)}&after=(last page)`);
  return [byOffset, byCursor];
}

function listingPath(query: ListingQuery): string {
  return `/api/products?${queryString(query)}&limit=${query.limit ?? PAGE}`;
}

/**
 * The listing's page read once: how many products it shows, or what it answered when not 2xx
 * (measuring refusals would say nothing of the listing).
 */
async function readOnce(url: string): Promise<{ refused?: string; shown?: number }> {
  const response = await fetch(url);
  const body = await response.text();
  if (!response.ok) return { refused: `${response.status} ${body.slice(0, 200)}` };
  return { shown: (JSON.parse(body) as { items: unknown[] }).items.length };
}
