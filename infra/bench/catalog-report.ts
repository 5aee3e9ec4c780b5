// The catalog bench's figures as the BENCHMARKS.md section (also what the terminal shows).
import { CATEGORIES, COMMON_WORD, MID_EVERY } from './catalog-seed.js';
import type { CatalogFigures, CatalogPhase, ListingFigures } from './catalog.js';
import type { LoadFigures } from './load.js';
import { count, mb, met, runLine, type RunContext } from './report-format.js';

/** The issue's goals. */
const GOALS = { growthRatio: 0.8, categoriesRatio: 0.8, postgresMs: 15, rssMb: 150 };

export function catalogReport(figures: CatalogFigures, run: RunContext): string {
  const [small, large] = figures.phases as [CatalogPhase, CatalogPhase];
  const { connections, warmupSeconds, durationSeconds } = figures.settings;
  const [smallCount, largeCount] = [count(small.products), count(large.products)];
  const importSeconds = figures.importMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ');
  return [
    `## Catalog listings at ${smallCount} and ${largeCount} products (\`npm run bench\`)`,
    [
      runLine(run),
      'Everything on the same machine: autocannon, nginx, two instances of each service',
      '(`node --import tsx src/server.ts`, as the dev stack runs them) and the embedded PostgreSQL',
      '(with glibc keeping up to 4 MB of freed heap per backend, as the dev stack starts it), started by',
      'the bench on its own ports and data dir.',
    ].join(' '),
    [
      `The catalog: ${smallCount} active products × 3 variants imported through \`POST /api/products/import\`,`,
      `measured; then ${count(large.products - small.products)} more in ${figures.importMs.length} requests`,
      `(${importSeconds}), \`VACUUM (ANALYZE)\` (${(figures.vacuumAnalyzeMs / 1000).toFixed(1)} s), measured again.`,
      `\`${CATEGORIES.large}\` holds every product, \`${CATEGORIES.small}\` the first ${smallCount},`,
      `\`${CATEGORIES.mid}\` one in ${MID_EVERY} (listed through its parent \`${CATEGORIES.midParent}\`, which holds no`,
      'product itself);',
      `\`q=${COMMON_WORD}\` matches one product in four, the price bounds about a fifth of the catalog (the`,
      'narrow ones one in 250),',
      'one product in three is sold out. Every listing asks `limit=20`; the last page is at',
      `offset ${count(small.products - 20)} at ${smallCount} and ${count(large.products - 20)} at ${largeCount},`,
      'and its cursor is the `nextCursor` of the page before.',
    ].join(' '),
    `**Goals**: ${goalSummary(figures, small, large).join('; ')}.`,
    [
      `Throughput through the gateway (\`GET /api/products?…\`), ${connections} connections,`,
      `${warmupSeconds} s warm-up, then ${durationSeconds} s measured. The ratios: each listing at ${largeCount}`,
      `products against itself at ${smallCount}, and against \`GET /api/categories\` measured just before it`,
      '(its req/s in brackets; the figures of one request wander by up to a fifth over minutes on this machine,',
      'so the two sides of the ratio are measured back to back).',
      "Every request asks for a fresh answer (`Cache-Control: no-cache`, as a browser's reload does), so",
      "none is answered by the gateway's micro-cache: these figures are the service's.",
      `A listing whose page shows fewer products at ${smallCount} (a category of a few of them) did less work`,
      `there than at ${largeCount}, where every page is full: its ${largeCount} ÷ ${smallCount} ratio counts that too.`,
    ].join(' '),
    [
      `| Listing | products shown at ${smallCount}, ${largeCount} | ${smallCount}: req/s | p50 / p99 ms | ${largeCount}: req/s | p50 / p99 ms | non-2xx / errors at ${smallCount}, ${largeCount} | ${largeCount} ÷ ${smallCount} (≥ ${GOALS.growthRatio}) | ÷ categories (≥ ${GOALS.categoriesRatio}) |`,
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...throughputRows(small, large),
    ].join('\n'),
    cpuSection(large),
    microCacheSection(figures, large),
    [
      'PostgreSQL time per listing: `EXPLAIN (ANALYZE, BUFFERS, TIMING OFF)` of the statements',
      'product-service builds for it (with its own code; no clock read per row, which inflated plans that',
      'touch thousands of rows on this VM), the median of three runs after the load (warm cache): the page, plus the',
      'capped count of matches, which every page but the last plans and runs only when the planner',
      'expects it cheap (else the estimate is the total), and which a filter that counted more than 500 runs',
      'once a minute, not on every page: page execution + planning, count planning, and count execution',
      'where it runs (counted here as on every page). Buffers: page + count. The service runs the listings without a search',
      'as prepared statements whose kept plan it does not plan again, so planning here is an upper bound.',
    ].join(' '),
    [
      `| Listing | ${smallCount}: ms | ${largeCount}: ms | ≤ ${GOALS.postgresMs} ms | Page plan at ${largeCount} (top ← first table scan); count | Buffers hit / read |`,
      '| --- | --- | --- | --- | --- | --- |',
      ...planRows(small, large),
    ].join('\n'),
    [
      "Memory (RSS, sampled every 0.5 s from /proc). The stack's product-service instances are tsx processes,",
      'which compile the TypeScript in process, and they served the imports just before the second phase;',
      'their peaks during each phase:',
      `${rssLines(small, large).join('; ')}. ${builtLine(figures)}`,
    ].join(' '),
  ].join('\n\n');
}

/** Where each request's CPU went at the large catalog: what a ratio to `/api/categories` is made of. */
function cpuSection(large: CatalogPhase): string {
  const cpuRow = (label: string, load: LoadFigures | undefined) => {
    if (!load?.cpu || load.requests === 0) return `| ${label} | — | — | — | — | — | — |`;
    const { shares, capacitySeconds, machine } = load.cpu;
    const ms = (share: number) => (share * capacitySeconds * 1000) / load.requests;
    const parts = [shares.PostgreSQL, shares['product-service'], shares.bench, shares.other].map((share) =>
      ms(share ?? 0),
    );
    const total = parts.reduce((sum, part) => sum + part, 0);
    return `| ${label} | ${[...parts, total].map((part) => part.toFixed(2)).join(' | ')} | ${(machine * 100).toFixed(0)} % |`;
  };
  return [
    [
      `CPU time per request at ${count(large.products)} products, over each measured run above (from /proc):`,
      'PostgreSQL (all its processes), the two product-service instances, the load generator (autocannon,',
      "in the bench's process), and the rest of the machine's busy time (nginx, the other services, the",
      'kernel). With both cores busy, throughput is about the inverse of the total, so a listing reaches',
      `${GOALS.categoriesRatio} × \`/api/categories\` only when its total is at most ${(1 / GOALS.categoriesRatio).toFixed(2)} times that of categories.`,
    ].join(' '),
    [
      '| Request | PostgreSQL ms | product-service ms | load generator ms | rest ms | total ms | machine busy |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      cpuRow('`GET /api/categories`', large.categories),
      ...large.listings.map((listing) => cpuRow(`\`${listing.label}\``, listing.load)),
    ].join('\n'),
  ].join('\n\n');
}

/** The reads the gateway's micro-cache answered, apart from the uncached figures. */
function microCacheSection(figures: CatalogFigures, large: CatalogPhase): string {
  const { categories, listings } = figures.microCache;
  const uncachedCategories = large.categories;
  const largeCount = count(large.products);
  const cachedRow = (label: string, load: LoadFigures, uncached: LoadFigures | undefined) =>
    `| ${label} | ${load.requestsPerSecond.toFixed(0)} | ${load.latencyP50Ms} / ${load.latencyP99Ms} | ${load.non2xx} / ${load.errors} | ${
      uncached ? uncached.requestsPerSecond.toFixed(0) : '—'
    } | ${plainRatio(load, categories)} | ${plainRatio(load, uncachedCategories)} |`;
  return [
    [
      `**Cached, measured apart**: the same ${largeCount} products, anonymous reads the gateway's micro-cache`,
      'answers (nginx keeps a 200 for a visitor for 1 s; one request a second per URL reaches product-service),',
      'same connections and durations, without `Cache-Control: no-cache`. Uncached: the figure from the table',
      'above. The ratios: each against `GET /api/categories` through the micro-cache, and against it uncached.',
    ].join(' '),
    [
      `| Cached read at ${largeCount} | req/s | p50 / p99 ms | non-2xx / errors | uncached req/s | ÷ categories cached | ÷ categories uncached |`,
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...listings.map((listing) =>
        cachedRow(
          `\`${listing.label}\``,
          listing.load,
          large.listings.find((uncached) => uncached.label === listing.label)?.load,
        ),
      ),
      cachedRow('`GET /api/categories`', categories, uncachedCategories),
    ].join('\n'),
  ].join('\n\n');
}

function goalSummary(figures: CatalogFigures, small: CatalogPhase, large: CatalogPhase): string[] {
  const measured = large.listings.filter((listing) => listing.load);
  const before = (listing: ListingFigures) => small.listings.find((other) => other.label === listing.label);
  const grew = measured.filter((listing) => {
    const earlier = before(listing)?.load;
    return earlier && listing.load!.requestsPerSecond >= GOALS.growthRatio * earlier.requestsPerSecond;
  });
  const versusCategories = measured.filter(
    (listing) =>
      listing.load!.requestsPerSecond >=
      GOALS.categoriesRatio * referenceOf(listing, large).requestsPerSecond,
  );
  const timed = large.listings.filter((listing) => postgresMs(listing) !== undefined);
  const fast = timed.filter((listing) => postgresMs(listing)! <= GOALS.postgresMs);
  return [
    `${largeOf(grew, large)} listings keep ≥ ${GOALS.growthRatio} of their ${count(small.products)}-product throughput`,
    `${largeOf(versusCategories, large)} reach ≥ ${GOALS.categoriesRatio} × \`/api/categories\``,
    `${fast.length} of ${timed.length} run in ≤ ${GOALS.postgresMs} ms of PostgreSQL time at ${count(large.products)}`,
    'peakMb' in figures.built
      ? `product-service built as in its image peaks at ${mb(figures.built.peakMb)} RSS (≤ ${GOALS.rssMb} MB ${met(figures.built.peakMb <= GOALS.rssMb)})`
      : 'product-service built as in its image was not measured',
  ];
}

function builtLine(figures: CatalogFigures): string {
  const { built, settings } = figures;
  if ('failed' in built)
    return `product-service built as in its image could not be measured: ${built.failed}.`;
  return [
    `One more product-service instance, built as in its image (\`npm run build\`, \`NODE_ENV=production ${built.command}\` as its Dockerfile's CMD,`,
    `this machine's Node rather than the image's), loaded directly with ${settings.connections} connections on each listing of the large`,
    `catalog for ${built.secondsPerListing} s in turn (${count(built.requests)} requests, ${built.non2xx} not 2xx):`,
    `${mb(built.idleMb)} idle, peak ${mb(built.peakMb)} (≤ ${GOALS.rssMb} MB: ${met(built.peakMb <= GOALS.rssMb)}).`,
  ].join(' ');
}

/** The `/api/categories` figure a listing's ratio is taken against: measured just before it, when it was. */
const referenceOf = (listing: ListingFigures, phase: CatalogPhase) => listing.reference ?? phase.categories;

const largeOf = (met: ListingFigures[], phase: CatalogPhase) => `${met.length} of ${phase.listings.length}`;

function rssLines(small: CatalogPhase, large: CatalogPhase): string[] {
  return Object.keys(large.rssPeakMb).map(
    (name) =>
      `${name} ${mb(small.rssPeakMb[name])} at ${count(small.products)}, ${mb(large.rssPeakMb[name])} at ` +
      `${count(large.products)} (≤ ${GOALS.rssMb} MB: ${met((large.rssPeakMb[name] ?? 0) <= GOALS.rssMb)})`,
  );
}

function throughputRows(small: CatalogPhase, large: CatalogPhase): string[] {
  const rows = large.listings.map((listing) => {
    const before = small.listings.find((candidate) => candidate.label === listing.label);
    return row(`\`${listing.label}\``, before, listing, referenceOf(listing, large));
  });
  rows.push(
    row(
      'reference: `GET /api/categories`',
      { load: small.categories },
      { load: large.categories },
      undefined,
    ),
  );
  return rows;
}

function row(
  label: string,
  small: Pick<ListingFigures, 'load' | 'refused' | 'shown'> | undefined,
  large: Pick<ListingFigures, 'load' | 'refused' | 'shown'>,
  reference: LoadFigures | undefined,
): string {
  const shown = [small?.shown, large.shown].map((products) => products ?? '—').join(', ');
  const growth = ratio(large.load, small?.load, GOALS.growthRatio);
  const versusCategories = reference
    ? `${ratio(large.load, reference, GOALS.categoriesRatio)} (${reference.requestsPerSecond.toFixed(0)})`
    : '—';
  const failures = [small?.load, large.load]
    .map((load) => (load ? `${load.non2xx} / ${load.errors}` : '—'))
    .join(', ');
  return `| ${label} | ${shown} | ${rate(small)} | ${latency(small)} | ${rate(large)} | ${latency(large)} | ${failures} | ${growth} | ${versusCategories} |`;
}

function planRows(small: CatalogPhase, large: CatalogPhase): string[] {
  return large.listings.map((listing) => {
    const before = small.listings.find((candidate) => candidate.label === listing.label);
    const postgres = postgresMs(listing);
    const plans = listing.plans;
    const buffers =
      plans && [plans.page, plans.count].map((plan) => `${plan.sharedHit} / ${plan.sharedRead}`).join(' + ');
    return `| \`${listing.label}\` | ${ms(postgresMs(before))} | ${ms(postgres)} | ${
      postgres === undefined ? '—' : met(postgres <= GOALS.postgresMs)
    } | ${plans ? `${plans.page.plan}; count ${plans.countRuns ? 'run' : 'planned only'}` : (listing.planError ?? '—')} | ${buffers ?? '—'} |`;
  });
}

/** What the request costs PostgreSQL: the page, and the count's planning, plus its run when it runs. */
function postgresMs(listing: ListingFigures | undefined): number | undefined {
  const plans = listing?.plans;
  if (!plans) return undefined;
  const { page, count, countRuns } = plans;
  return page.executionMs + page.planningMs + count.planningMs + (countRuns ? count.executionMs : 0);
}

const rate = (figures: Pick<ListingFigures, 'load' | 'refused'> | undefined) =>
  figures?.load
    ? figures.load.requestsPerSecond.toFixed(0)
    : figures?.refused
      ? `refused ${figures.refused.slice(0, 3)}`
      : '—';

const latency = (figures: Pick<ListingFigures, 'load'> | undefined) =>
  figures?.load ? `${figures.load.latencyP50Ms} / ${figures.load.latencyP99Ms}` : '—';

function ratio(
  numerator: LoadFigures | undefined,
  denominator: LoadFigures | undefined,
  goal: number,
): string {
  if (!numerator || !denominator || denominator.requestsPerSecond === 0) return '—';
  const value = numerator.requestsPerSecond / denominator.requestsPerSecond;
  return `${value.toFixed(2)} ${met(value >= goal)}`;
}

const plainRatio = (numerator: LoadFigures, denominator: LoadFigures) =>
  denominator.requestsPerSecond === 0
    ? '—'
    : (numerator.requestsPerSecond / denominator.requestsPerSecond).toFixed(2);

const ms = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(1));
