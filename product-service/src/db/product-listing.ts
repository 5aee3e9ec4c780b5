import { QueryTypes } from 'sequelize';
import type { ProductSort, ProductStatus } from '@escalable/shop-sdk';
import { Product } from './models.js';
import { PRODUCT_COLUMNS, type ProductRow } from './products.js';
import { availableUnits } from './stock-ledger.js';

/** What the listing keeps of the catalog; every filter given must hold. */
export interface ProductFilters {
  status: ProductStatus;
  /** A product in this category or in any category below it. */
  categoryId?: string;
  /** Web-search text (`websearch_to_tsquery`) whose every operator has a word to act on. */
  searchText?: string;
  /** Inclusive bounds on the product's lowest active-variant price (`products.from_price`). */
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
}

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
 * The statements one listing runs: its page (one row beyond it, telling whether another follows), and
 * the count of matches capped at {@link EXACT_TOTAL_LIMIT}, planned first (`EXPLAIN`) and run only when
 * the planner expects it to be cheap.
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

/** Where a listing reads its rows, and the columns it filters and sorts them by there. */
interface ListingTable {
  from: string;
  id: string;
  status: string;
  createdAt: string;
  lowerName: string;
  fromPrice: string;
}

const PRODUCTS: ListingTable = {
  from: 'products p',
  id: 'p.id',
  status: 'p.status',
  createdAt: 'p.created_at',
  lowerName: 'lower(p.name)',
  fromPrice: 'p.from_price',
};

/**
 * A category's rows in `category_listings` (its products and its subcategories', each once, with the
 * product's sort keys): the category is one index range in every sort's order. A search joins the
 * products for their text.
 */
function categoryListings(searched: boolean): ListingTable {
  return {
    from: searched ? 'category_listings l JOIN products p ON p.id = l.product_id' : 'category_listings l',
    id: 'l.product_id',
    status: 'l.status',
    createdAt: 'l.created_at',
    lowerName: 'l.name_lower',
    fromPrice: 'l.from_price',
  };
}

function pageTable(filters: ProductFilters): ListingTable {
  return filters.categoryId ? categoryListings(filters.searchText !== undefined) : PRODUCTS;
}

/**
 * A search is counted along the products, probing each match's row of the category: up to the cap,
 * that reads matches only, where reading the category's rows would probe the product of every row
 * of a category holding most of the catalog to find whether it matches. A search in a small category
 * plans this count too dear and answers the estimate.
 */
function countTable(filters: ProductFilters): ListingTable {
  return filters.searchText ? PRODUCTS : pageTable(filters);
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
  filters: ProductFilters,
  sort: ProductSort,
  page: PageRequest,
): ListingStatements {
  const counted = new Binds();
  const table = countTable(filters);
  const where = matchConditions(filters, sort, table, counted);
  return {
    page: pageStatement(filters, sort, page),
    count: {
      text: `SELECT count(*) AS total FROM (SELECT FROM ${table.from} WHERE ${where} LIMIT ${EXACT_TOTAL_LIMIT + 1}) capped`,
      values: counted.values,
    },
  };
}

function pageStatement(filters: ProductFilters, sort: ProductSort, page: PageRequest): SqlStatement {
  const binds = new Binds();
  const table = pageTable(filters);
  const where = matchConditions(filters, sort, table, binds);
  const order = sortOrder(sort, table);
  const { keys, direction } = order;
  const orderBy = orderClause(order);
  const after = page.after
    ? `(${keys.map((key) => key.sql).join(', ')}) ${direction === 'ASC' ? '>' : '<'} (${keys
        .map((key, index) => binds.add(page.after![index], key.type))
        .join(', ')})`
    : 'true';
  const slice = `LIMIT ${binds.add(page.limit + 1)} OFFSET ${binds.add(page.offset)}`;
  const position = `json_build_array(${keys.map((key) => key.sql).join(', ')}) AS position`;
  const ids =
    sort === 'relevance'
      ? `c AS (
           SELECT ${table.id} AS id, ${table.createdAt} AS created_at,
                  ts_rank(p.search_vector, websearch_to_tsquery('simple', ${binds.add(filters.searchText)})) AS rank
           FROM ${table.from}
           WHERE ${where}
           ORDER BY ${table.createdAt} DESC, ${table.id} DESC
           LIMIT ${RANKED_MATCHES_LIMIT}
         ),
         page AS (SELECT c.*, ${position} FROM c WHERE ${after} ORDER BY ${orderBy} ${slice})`
      : `page AS (SELECT ${table.id} AS id, ${position} FROM ${table.from} WHERE ${where} AND ${after} ORDER BY ${orderBy} ${slice})`;
  // The products whole are built for the page only, in the page's order (a product holds the same keys
  // as its category's rows the page was read from).
  const pageOrder =
    sort === 'relevance'
      ? 'page.rank DESC, page.created_at DESC, page.id DESC'
      : orderClause(sortOrder(sort, PRODUCTS));
  return {
    text: `WITH ${ids}
      SELECT page.position, ${PRODUCT_COLUMNS}
      FROM page JOIN products p ON p.id = page.id
      ORDER BY ${pageOrder}`,
    values: binds.values,
  };
}

/** The WHERE clause over the listing's table for the filters, written so the sort's index can apply it. */
function matchConditions(
  filters: ProductFilters,
  sort: ProductSort,
  table: ListingTable,
  binds: Binds,
): string {
  const conditions = [`${table.status} = ${binds.add(filters.status)}`];
  if (filters.categoryId) {
    const categoryId = binds.add(filters.categoryId, 'uuid');
    conditions.push(
      table !== PRODUCTS
        ? `l.category_id = ${categoryId}`
        : `EXISTS (SELECT FROM category_listings l WHERE l.product_id = p.id AND l.category_id = ${categoryId})`,
    );
  }
  if (filters.searchText) {
    conditions.push(`p.search_vector @@ websearch_to_tsquery('simple', ${binds.add(filters.searchText)})`);
  }
  if (filters.minPrice !== undefined || filters.maxPrice !== undefined) {
    // Bounds on the price sort's own key let its index start and stop at them.
    const price =
      sort === '-price' ? priceDescending(table) : sort === 'price' ? priceAscending(table) : table.fromPrice;
    conditions.push(`${table.fromPrice} IS NOT NULL`);
    if (filters.minPrice !== undefined) conditions.push(`${price} >= ${binds.add(filters.minPrice)}`);
    if (filters.maxPrice !== undefined) conditions.push(`${price} <= ${binds.add(filters.maxPrice)}`);
  }
  if (filters.inStock) {
    conditions.push(
      `EXISTS (SELECT FROM variants v WHERE v.product_id = ${table.id} AND v.status = 'active' AND ${availableUnits('v')} > 0)`,
    );
  }
  return conditions.join(' AND ');
}

export interface ProductPage {
  rows: ProductRow[];
  /** The position after the page's last product; none when the page is the last. */
  next?: ListingPosition;
  total: number;
  totalIsEstimate: boolean;
}

/**
 * A page of the catalog listing with its total: exact up to {@link EXACT_TOTAL_LIMIT} matches when
 * counting is cheap, else the planner's estimate.
 */
export async function findProductPage(
  filters: ProductFilters,
  sort: ProductSort,
  page: PageRequest,
): Promise<ProductPage> {
  const statements = listingStatements(filters, sort, page);
  const found = await run<ProductRow & { position: ListingPosition }>(statements.page);
  const rows = found.slice(0, page.limit);
  const next = found.length > page.limit ? rows.at(-1)!.position : undefined;
  return { rows, next, ...(await countMatches(statements, page, rows.length, next !== undefined)) };
}

async function countMatches(
  statements: ListingStatements,
  page: PageRequest,
  found: number,
  more: boolean,
): Promise<{ total: number; totalIsEstimate: boolean }> {
  // An offset page that ends the listing, with something on it or at its start, has seen every match.
  if (!page.after && !more && (found > 0 || page.offset === 0)) {
    return { total: page.offset + found, totalIsEstimate: false };
  }
  const [explained] = await run<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>({
    ...statements.count,
    text: `EXPLAIN (FORMAT JSON) ${statements.count.text}`,
  });
  const plan = explained!['QUERY PLAN'][0].Plan;
  const estimate = Math.round(matchesEstimate(plan) ?? EXACT_TOTAL_LIMIT + 1);
  if (plan['Total Cost'] > EXACT_TOTAL_MAX_COST) {
    return { total: Math.max(estimate, page.offset + found), totalIsEstimate: true };
  }
  const [counted] = await run<{ total: string }>(statements.count);
  const total = Number(counted!.total);
  if (total <= EXACT_TOTAL_LIMIT) return { total, totalIsEstimate: false };
  // Past the cap the planner may guess fewer than were just counted.
  return { total: Math.max(estimate, total), totalIsEstimate: true };
}

interface PlanNode {
  'Node Type': string;
  'Total Cost': number;
  'Plan Rows': number;
  Plans?: PlanNode[];
}

/** The planner's guess of all the matches: the rows it expects below the count's cap. */
function matchesEstimate(node: PlanNode): number | undefined {
  if (node['Node Type'] === 'Limit') return node.Plans?.[0]?.['Plan Rows'];
  for (const child of node.Plans ?? []) {
    const found = matchesEstimate(child);
    if (found !== undefined) return found;
  }
  return undefined;
}

function run<T extends object>(statement: SqlStatement): Promise<T[]> {
  return Product.sequelize!.query<T>(statement.text, { bind: statement.values, type: QueryTypes.SELECT });
}
