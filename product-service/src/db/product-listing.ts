import { QueryTypes } from 'sequelize';
import type { ProductSort, ProductStatus } from '@escalable/shop-sdk';
import type { CountPlan, CountPlans } from './count-plans.js';
import { Product } from './models.js';
import { productViewsText, type ViewScope } from './products.js';
import type { CategoryIds } from './category-ids.js';
import { runPrepared } from './prepared-statements.js';
import { availableUnits, LAPSED_UNITS_BY_VARIANT } from './stock-ledger.js';

/** A category as the visitor named it: by id or by slug. */
export type CategoryKey = { id: string } | { slug: string };

/** What the listing keeps of the catalog; every filter given must hold. */
export interface ProductFilters<Category = CategoryKey> {
  status: ProductStatus;
  /** A product in this category or in any category below it. */
  category?: Category;
  /** Web-search text (`websearch_to_tsquery`) whose every operator has a word to act on. */
  searchText?: string;
  /** Inclusive bounds on the product's lowest active-variant price (`products.from_price`). */
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
}

/**
 * The category of a listing as its statements name it: by id, so the planner reads the statistics of
 * that category (a slug looked up inside the statement left it guessing its size, and a search in the
 * largest category was counted with a hash of all its 50 000 rows); with the slug the visitor named it
 * by, which the statement checks still names that id.
 */
export interface ListedCategory {
  id: string;
  slug?: string;
}

export type ListingFilters = ProductFilters<ListedCategory>;

/**
 * Where a page starts: the sort key of the last product of the previous page, then its id. Each value is
 * as PostgreSQL wrote it in JSON, so a timestamp keeps its microseconds and a rank its float4 digits.
 */
export type ListingPosition = Array<string | number>;

export interface PageRequest {
  limit: number;
  offset: number;
  after?: ListingPosition;
}

/** SQL with positional parameters, as pg and `EXPLAIN` take it. */
export interface SqlStatement {
  text: string;
  values: unknown[];
}

/**
 * The statements of one listing: its page (one row beyond it, telling whether another follows), and
 * the count of matches capped at {@link EXACT_TOTAL_LIMIT}, planned (`EXPLAIN`, kept a while by
 * {@link CountPlans}) and, when the planner expects it to be cheap, run inside the page's statement.
 */
export interface ListingStatements {
  page: SqlStatement;
  count: SqlStatement;
}

/** Up to this many matches the total is counted; beyond, counting would read every match on each page. */
export const EXACT_TOTAL_LIMIT = 500;
/**
 * The planner's cost (its units: about one page read each) above which the capped count is not run and
 * its estimate is answered instead: a filter matching few of many products (a mid-sized category with a
 * price range) would otherwise read the whole table to count a few hundred.
 */
export const EXACT_TOTAL_MAX_COST = 1_000;
/**
 * Relevance ranks at most this many matches, the newest ones: ranking every match of a word found in
 * half the catalog would cost as much as the catalog.
 */
export const RANKED_MATCHES_LIMIT = 200;
/**
 * A price range the planner expects to hold at most this many matches is read along the price index
 * and sorted, whatever the sort: walking another sort's index for a narrow range reads most of the
 * catalog to find its few matches (50 of 50 000 by `newest`: 16–20 ms). Past it, a walk finds a page
 * within about (page × products ÷ matches) entries, ~1 000 at 50 000 products.
 */
export const NARROW_PRICE_RANGE_LIMIT = 1_000;

/** Where a listing reads its rows, and the columns it filters and sorts them by there. */
interface ListingTable {
  from: string;
  id: string;
  status: string;
  createdAt: string;
  lowerName: string;
  fromPrice: string;
  searchVector: string;
  inStock: string;
}

const PRODUCTS: ListingTable = {
  from: 'products p',
  id: 'p.id',
  status: 'p.status',
  createdAt: 'p.created_at',
  lowerName: 'lower(p.name)',
  fromPrice: 'p.from_price',
  searchVector: 'p.search_vector',
  inStock: 'p.in_stock',
};

/**
 * A category's rows in `category_listings` (its products and its subcategories', each once, with the
 * product's sort keys and words): the category is one index range in every sort's order, and a search
 * in it, counted too, reads its rows alone (migration category-listings-search).
 */
const CATEGORY_LISTINGS: ListingTable = {
  from: 'category_listings l',
  id: 'l.product_id',
  status: 'l.status',
  createdAt: 'l.created_at',
  lowerName: 'l.name_lower',
  fromPrice: 'l.from_price',
  searchVector: 'l.search_vector',
  inStock: 'l.in_stock',
};

function listingTable(filters: ListingFilters): ListingTable {
  return filters.category ? CATEGORY_LISTINGS : PRODUCTS;
}

interface SortOrder {
  /** Key expressions, the last always the id, each with the type its cursor value is read as. */
  keys: Array<{ sql: string; type: string }>;
  direction: 'ASC' | 'DESC';
}

// The price keys are the expressions of the *_price indexes: no active variant, last.
const priceAscending = (table: ListingTable) => `coalesce(${table.fromPrice}, 2147483648)`;
const priceDescending = (table: ListingTable) => `coalesce(${table.fromPrice}, -1)`;

function sortOrder(sort: ProductSort, table: ListingTable): SortOrder {
  const id = { sql: table.id, type: 'uuid' };
  switch (sort) {
    case 'newest':
      return { keys: [{ sql: table.createdAt, type: 'timestamptz' }, id], direction: 'DESC' };
    case 'price':
      return { keys: [{ sql: priceAscending(table), type: 'bigint' }, id], direction: 'ASC' };
    case '-price':
      return { keys: [{ sql: priceDescending(table), type: 'bigint' }, id], direction: 'DESC' };
    case 'name':
    case '-name':
      return {
        keys: [{ sql: table.lowerName, type: 'text' }, id],
        direction: sort === 'name' ? 'ASC' : 'DESC',
      };
    case 'relevance':
      // Over the ranked candidates `c`.
      return {
        keys: [
          { sql: 'c.rank', type: 'real' },
          { sql: 'c.created_at', type: 'timestamptz' },
          { sql: 'c.id', type: 'uuid' },
        ],
        direction: 'DESC',
      };
  }
}

function orderClause({ keys, direction }: SortOrder): string {
  return keys.map((key) => `${key.sql} ${direction}`).join(', ');
}

/** The number of values a position of this sort holds, id included. */
export function positionLength(sort: ProductSort): number {
  return sortOrder(sort, PRODUCTS).keys.length;
}

/** Collects bind values and answers their `$n` placeholders. */
class Binds {
  readonly values: unknown[] = [];
  add(value: unknown, type?: string): string {
    this.values.push(value);
    return `$${this.values.length}${type ? `::${type}` : ''}`;
  }
}

/**
 * The SQL a listing runs, exported so the benchmark can `EXPLAIN (ANALYZE, BUFFERS)` exactly what the
 * service runs. Every sort reads an index in its order and stops after the page; `relevance` needs
 * `searchText`.
 */
export function listingStatements(
  filters: ListingFilters,
  sort: ProductSort,
  page: PageRequest,
  options: PageOptions = { scope: { stock: false }, counted: false },
): ListingStatements {
  return {
    page: pageStatement(filters, sort, page, options),
    count: countStatement(filters, options.narrowPriceRange),
  };
}

/**
 * Counts the matches, up to one past {@link EXACT_TOTAL_LIMIT}, bounding the price on the price index's
 * key whatever the sort, so a narrow range is counted along it; `hidden` as in {@link Matching}.
 */
function cappedCount(filters: ListingFilters, binds: Binds, hidden: boolean): string {
  const table = listingTable(filters);
  const where = matchConditions(filters, table, binds, { priceKey: priceAscending(table), hidden });
  return `SELECT count(*) AS total FROM (SELECT FROM ${table.from} WHERE ${where} LIMIT ${EXACT_TOTAL_LIMIT + 1}) capped`;
}

export interface PageOptions {
  /** Whose view of the products the page holds. */
  scope: ViewScope;
  /** Whether the statement counts the matches as well (`total`), or leaves that to the estimate. */
  counted: boolean;
  /** Whether the planner expects the price range to be narrow (see {@link NARROW_PRICE_RANGE_LIMIT}). */
  narrowPriceRange?: boolean;
}

/**
 * The page in one row, so a listing costs one round trip to PostgreSQL: how many products it found
 * (one beyond the page says another follows), the position of the last one shown, the products' views
 * as JSON text, and the capped count when asked.
 */
function pageStatement(
  filters: ListingFilters,
  sort: ProductSort,
  page: PageRequest,
  { scope, counted, narrowPriceRange = false }: PageOptions,
): SqlStatement {
  const binds = new Binds();
  const table = listingTable(filters);
  const where = matchConditions(
    filters,
    table,
    binds,
    narrowPriceRange
      ? { priceKey: priceAscending(table), hidden: true }
      : { priceKey: walkPriceKey(sort, table), hidden: false },
  );
  const order = sortOrder(sort, table);
  const { keys, direction } = order;
  const orderBy = orderClause(order);
  // The cursor's position is read through subqueries, which the planner cannot look into: told where a
  // cursor points, it planned the last pages for their few rows, found the kept plan dearer and planned
  // every page anew (the last page by cursor at 50 000 products: 2.6 → 1.0 ms of PostgreSQL a request).
  // The index still starts at the position, and a page is bounded by its LIMIT wherever it starts.
  const after = page.after
    ? `(${keys.map((key) => key.sql).join(', ')}) ${direction === 'ASC' ? '>' : '<'} (${keys
        .map((key, index) => `(SELECT ${binds.add(page.after![index], key.type)})`)
        .join(', ')})`
    : 'true';
  // The page's bounds are written in, not bound: the planner prices a bound LIMIT or OFFSET as a tenth of
  // the matches, so the plan it would keep for every page of a prepared statement always looked dearer
  // than planning each page anew, and it planned each anew.
  const slice = `LIMIT ${page.limit + 1} OFFSET ${page.offset}`;
  // The keys as columns k0, k1…: the rows are shown, and the last one's position taken, in their order.
  const keyColumns = keys.map((key, index) => `${key.sql} AS k${index}`).join(', ');
  const keyOrder = (table: string, way: string) =>
    keys.map((_key, index) => `${table}.k${index} ${way}`).join(', ');
  const ids =
    sort === 'relevance'
      ? `c AS (
           SELECT ${table.id} AS id, ${table.createdAt} AS created_at,
                  ts_rank(${table.searchVector}, websearch_to_tsquery('simple', ${binds.add(filters.searchText)})) AS rank
           FROM ${table.from}
           WHERE ${where}
           ORDER BY ${table.createdAt} DESC, ${table.id} DESC
           LIMIT ${RANKED_MATCHES_LIMIT}
         ),
         page AS (SELECT c.id, ${keyColumns} FROM c WHERE ${after} ORDER BY ${orderBy} ${slice})`
      : narrowPriceRange
        ? // OFFSET 0 keeps the matches a subquery of their own, planned without the page's order: read along
          // the price index, where the sort's index walked most of the catalog when the stock filter came too.
          `page AS (SELECT * FROM (SELECT ${table.id} AS id, ${keyColumns} FROM ${table.from} WHERE ${where} AND ${after} OFFSET 0) matches
             ORDER BY ${keyOrder('matches', direction)} ${slice})`
        : `page AS (SELECT ${table.id} AS id, ${keyColumns} FROM ${table.from} WHERE ${where} AND ${after} ORDER BY ${orderBy} ${slice})`;
  const reverse = direction === 'ASC' ? 'DESC' : 'ASC';
  // The products' views are built for the page only, in the page's order.
  return {
    text: `WITH ${ids},
      shown AS (SELECT * FROM page ORDER BY ${keyOrder('page', direction)} LIMIT ${page.limit})
      SELECT
        (SELECT count(*) FROM page)::int AS found,
        (SELECT json_build_array(${keys.map((_key, index) => `k${index}`).join(', ')})
         FROM shown ORDER BY ${keyOrder('shown', reverse)} LIMIT 1) AS last,
        (${productViewsText(scope, {
          from: 'shown JOIN products p ON p.id = shown.id',
          where: 'true',
          order: keyOrder('shown', direction),
          // Staff's variants are gathered for the page's ids, read here without probing products again.
          ids: 'SELECT shown.id FROM shown',
        })}) AS items,
        ${counted ? `(${cappedCount(filters, binds, narrowPriceRange)})::int` : 'NULL::int'} AS total,
        ${filters.category ? categoryExists(filters.category, binds) : 'true'} AS category_exists`,
    values: binds.values,
  };
}

function categoryExists({ id, slug }: ListedCategory, binds: Binds): string {
  const named = slug === undefined ? '' : ` AND slug = ${binds.add(slug)}`;
  return `EXISTS (SELECT FROM categories WHERE id = ${binds.add(id, 'uuid')}${named})`;
}

/**
 * How the filters meet the indexes and the planner: the key the price range bounds (a price index's, to
 * start and stop at the bounds; a walk along another sort's index filters by the column itself), and
 * whether the category and the bounds are hidden from the planner behind subqueries it cannot look into.
 * Hidden, every narrow range of a sort plans alike, along the price index, and the plan is kept: told
 * them, the planner planned each range of a small category anew for its few matches (6.5–8 ms a page
 * with the planning, against 1.0 with the kept plan; one connection). A wide range is told, so its walk
 * is planned for it.
 */
interface Matching {
  priceKey: string;
  hidden: boolean;
}

/** The products an active variant of which has units for sale that only an expired hold counts as held. */
const SELLABLE_THROUGH_LAPSED_HOLDS = `ARRAY(
    SELECT v.product_id FROM variants v
    WHERE v.id = ANY (ARRAY(SELECT jsonb_object_keys(${LAPSED_UNITS_BY_VARIANT}))::uuid[])
      AND v.status = 'active' AND ${availableUnits('v')} > 0)`;

/** The WHERE clause over the listing's table for the filters, written so the sort's index can apply it. */
function matchConditions(
  filters: ListingFilters,
  table: ListingTable,
  binds: Binds,
  { priceKey, hidden }: Matching,
): string {
  const value = (bound: unknown, type: string) =>
    hidden ? `(SELECT ${binds.add(bound, type)})` : binds.add(bound, type);
  const conditions = [`${table.status} = ${binds.add(filters.status)}`];
  if (filters.category) {
    const categoryId = value(filters.category.id, 'uuid');
    conditions.push(
      table !== PRODUCTS
        ? `l.category_id = ${categoryId}`
        : `EXISTS (SELECT FROM category_listings l WHERE l.product_id = p.id AND l.category_id = ${categoryId})`,
    );
  }
  if (filters.searchText) {
    conditions.push(
      `${table.searchVector} @@ websearch_to_tsquery('simple', ${binds.add(filters.searchText)})`,
    );
  }
  if (filters.minPrice !== undefined || filters.maxPrice !== undefined) {
    conditions.push(`${table.fromPrice} IS NOT NULL`);
    if (filters.minPrice !== undefined)
      conditions.push(`${priceKey} >= ${value(filters.minPrice, 'bigint')}`);
    if (filters.maxPrice !== undefined)
      conditions.push(`${priceKey} <= ${value(filters.maxPrice, 'bigint')}`);
  }
  if (filters.inStock) {
    // The kept flag, read in the sort's index (migration in-stock), counts what expired holds still
    // hold as held. A product without it can be sold only through such units: the products of the
    // variants they free, computed once per statement (almost always none), are added back.
    conditions.push(`(${table.inStock} OR ${table.id} = ANY (${SELLABLE_THROUGH_LAPSED_HOLDS}))`);
  }
  return conditions.join(' AND ');
}

/** The key a page's walk along its sort's index bounds the price by: the sort's own, when it has one. */
function walkPriceKey(sort: ProductSort, table: ListingTable): string {
  if (sort === 'price') return priceAscending(table);
  if (sort === '-price') return priceDescending(table);
  return table.fromPrice;
}

function countStatement(filters: ListingFilters, hidden = false): SqlStatement {
  const binds = new Binds();
  return { text: cappedCount(filters, binds, hidden), values: binds.values };
}

/** A page's one statement, and the plan of its count that decided whether the statement counts. */
export interface PlannedPage {
  statement: SqlStatement;
  plan: CountPlan;
}

/**
 * How a listing's page statement is built, from the plan of its count (kept a while by `countPlans`): it
 * counts the matches too when the plan expects that to be cheap and no count of the same filter found
 * more than the cap since, and reads a price range the plan expects narrow along the price index.
 * Exported so the benchmark explains what the service runs.
 */
export async function plannedPageOptions(
  filters: ListingFilters,
  sort: ProductSort,
  scope: ViewScope,
  countPlans: CountPlans,
): Promise<{ options: PageOptions; plan: CountPlan }> {
  const plan = await countPlans.planOf(countStatement(filters));
  const ranged = filters.minPrice !== undefined || filters.maxPrice !== undefined;
  // A price sort reads the range along its own index already; relevance ranks the newest matches.
  const sortHasOwnIndex = sort !== 'price' && sort !== '-price' && sort !== 'relevance';
  const narrow = plan.estimate !== undefined && plan.estimate <= NARROW_PRICE_RANGE_LIMIT;
  return {
    options: {
      scope,
      counted: plan.cost <= EXACT_TOTAL_MAX_COST && !plan.beyondCap,
      narrowPriceRange: ranged && sortHasOwnIndex && narrow,
    },
    plan,
  };
}

/** The one statement a listing page runs. Exported so the read path's baseline runs exactly this. */
export async function plannedPageStatement(
  filters: ListingFilters,
  sort: ProductSort,
  page: PageRequest,
  scope: ViewScope,
  countPlans: CountPlans,
): Promise<PlannedPage> {
  const { options, plan } = await plannedPageOptions(filters, sort, scope, countPlans);
  return { statement: pageStatement(filters, sort, page, options), plan };
}

export interface ProductPage {
  /** The page's products as a JSON array, their views as PostgreSQL wrote them. */
  itemsJson: string;
  /** The position after the page's last product; none when the page is the last. */
  next?: ListingPosition;
  total: number;
  totalIsEstimate: boolean;
}

interface PageRow {
  category_exists: boolean;
  found: number;
  last: ListingPosition | null;
  items: string;
  total: number | null;
}

/**
 * A page of the catalog listing with its total: exact up to {@link EXACT_TOTAL_LIMIT} matches when
 * counting is cheap, else the planner's estimate. Once the count's plan and the category's id are
 * known, one statement. None when the category named does not exist.
 */
export async function findProductPage(
  filters: ProductFilters,
  sort: ProductSort,
  page: PageRequest,
  scope: ViewScope,
  { countPlans, categoryIds }: ListingPlanners,
): Promise<ProductPage | undefined> {
  // A slug kept from an earlier page may have moved to another category since: the statement checks it,
  // and the page is read again with the slug looked up afresh.
  for (const fresh of [false, true]) {
    const listed = await listedFilters(filters, categoryIds, fresh);
    if (!listed) return undefined;
    const { statement, plan } = await plannedPageStatement(listed, sort, page, scope, countPlans);
    // A search's best plan depends on its words (an index of the words for a rare one, the sort's order
    // for a common one): it is planned for them each time. So is a page reached by offset: each offset
    // is a statement of its own (the bounds are written in), and a crawler walking the offsets would
    // evict the statements every first page and cursor page shares. The rest read their sort's index.
    const [found] =
      filters.searchText || page.offset > 0
        ? await Product.sequelize!.query<PageRow>(statement.text, {
            bind: statement.values,
            type: QueryTypes.SELECT,
          })
        : await runPrepared<PageRow>(statement);
    if (!found!.category_exists) {
      if (fresh || !filters.category || 'id' in filters.category) return undefined;
      continue;
    }
    // Counting more than the cap answers the estimate; while the plan is kept, this filter is not counted
    // again (the count read 501 index entries a page: about a tenth of a category page's statement).
    if (found!.total !== null && found!.total > EXACT_TOTAL_LIMIT) plan.beyondCap = true;
    const more = found!.found > page.limit;
    return {
      itemsJson: found!.items,
      next: more ? found!.last! : undefined,
      ...totalOf(page, Math.min(found!.found, page.limit), more, found!.total, plan),
    };
  }
  return undefined;
}

/** What a listing keeps between requests, so a page costs one statement. */
export interface ListingPlanners {
  countPlans: CountPlans;
  categoryIds: CategoryIds;
}

/** The filters with the category named by id; none when no category has the slug named. */
async function listedFilters(
  filters: ProductFilters,
  categoryIds: CategoryIds,
  fresh: boolean,
): Promise<ListingFilters | undefined> {
  const { category, ...rest } = filters;
  if (!category) return rest;
  if ('id' in category) return { ...rest, category };
  const id = await categoryIds.idOf(category.slug, { fresh });
  return id === undefined ? undefined : { ...rest, category: { id, slug: category.slug } };
}

function totalOf(
  page: PageRequest,
  shown: number,
  more: boolean,
  counted: number | null,
  plan: CountPlan,
): { total: number; totalIsEstimate: boolean } {
  // An offset page that ends the listing, with something on it or at its start, has seen every match.
  if (!page.after && !more && (shown > 0 || page.offset === 0)) {
    return { total: page.offset + shown, totalIsEstimate: false };
  }
  if (counted !== null && counted <= EXACT_TOTAL_LIMIT) return { total: counted, totalIsEstimate: false };
  // An estimate never contradicts the page: there are at least the matches up to its last product and
  // the one found beyond it, and an empty page past the end by offset proves fewer than the offset.
  const atLeast = shown > 0 ? page.offset + shown + (more ? 1 : 0) : 0;
  const atMost = shown === 0 && !page.after ? page.offset : Number.POSITIVE_INFINITY;
  // Past the cap the planner may guess fewer than were just counted.
  const guess = Math.max(plan.estimate ?? EXACT_TOTAL_LIMIT + 1, counted ?? 0);
  return { total: Math.min(Math.max(guess, atLeast), atMost), totalIsEstimate: true };
}
