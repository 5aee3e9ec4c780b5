// The SQL of a listing, built by product-service's own code (loaded from the checkout, as the dev stack
// runs it), so the bench EXPLAINs exactly what the service runs rather than a copy that could drift.
import type { ProductListQuery, ProductSort } from '@escalable/shop-sdk';
import { createLogger } from '@escalable/shop-sdk/server';
import type { Statement } from './explain.js';

export type ListingQuery = ProductListQuery & { after?: string };

/**
 * What one listing request costs PostgreSQL: its page, and the capped count, which every page but the
 * last plans, and runs when product-service decided from that plan to count (`counted`).
 */
export interface ListingStatements {
  page: Statement;
  count: Statement;
  counted: boolean;
}

export interface ListingSql {
  statementsFor(query: ListingQuery): Promise<ListingStatements>;
  close(): Promise<void>;
}

// The parts of product-service the bench calls, as its source declares them.
interface ProductServiceDb {
  openDatabase(url: string, poolMax: number, logger: unknown): { close(): Promise<void> };
}
// Handed back to the builder as it came: the bench never looks inside.
type CountPlans = object;
interface ProductServiceListing {
  plannedPageStatement(
    filters: object,
    sort: ProductSort,
    page: { limit: number; offset: number },
    scope: { stock: boolean },
    countPlans: CountPlans,
  ): Promise<{ statement: Statement }>;
  preparedName(text: string): string;
  plannedPageOptions(
    filters: object,
    sort: ProductSort,
    scope: { stock: boolean },
    countPlans: CountPlans,
  ): Promise<{ options: PageOptions }>;
  listingStatements(
    filters: object,
    sort: ProductSort,
    page: { limit: number; offset: number; after?: unknown },
    options: PageOptions,
  ): { page: Statement; count: Statement };
}
// Handed back to the builder as it came, but for `counted`.
type PageOptions = { counted: boolean };
interface ProductServiceDomain {
  categoryIdBySlug(slug: string): Promise<string | undefined>;
  listingRequest(query: ListingQuery): {
    filters: { category?: { id: string } | { slug: string } };
    sort: ProductSort;
    page: { limit: number; offset: number; after?: unknown };
  };
}

const SOURCE = new URL('../../product-service/src/', import.meta.url);
const load = <T>(file: string) => import(new URL(file, SOURCE).href) as Promise<T>;

interface ProductServiceCountPlans {
  countPlans(options?: { run?(text: string, values: unknown[]): Promise<unknown[]> }): CountPlans;
}

/** product-service's listing SQL builders and its keeper of count plans (planning on the pool it is given). */
export async function loadListingStatements(): Promise<ProductServiceListing & ProductServiceCountPlans> {
  const { countPlans } = await load<ProductServiceCountPlans>('db/count-plans.ts');
  const { preparedName } = await load<ProductServiceListing>('db/prepared-statements.ts');
  return { ...(await load<ProductServiceListing>('db/product-listing.ts')), countPlans, preparedName };
}

/** Opens product-service's models on `databaseUrl`: a listing's category is named as it names it. */
export async function openListingSql(databaseUrl: string): Promise<ListingSql> {
  const { openDatabase } = await load<ProductServiceDb>('db/index.ts');
  const { listingStatements, plannedPageOptions, countPlans } = await loadListingStatements();
  const { categoryIdBySlug } = await load<ProductServiceDomain>('db/categories.ts');
  const { listingRequest } = await load<ProductServiceDomain>('domain/product-listing.ts');
  const database = openDatabase(databaseUrl, 1, createLogger('bench', 'silent'));
  // Planned on the models just opened, as the service plans them.
  const plans = countPlans();
  return {
    async statementsFor(query) {
      const { filters, sort, page } = listingRequest(query);
      // The service names a category by id in its statements, with the slug it checks (ListedCategory).
      const category = filters.category;
      const listed =
        category && 'slug' in category
          ? { ...filters, category: { id: await categoryIdBySlug(category.slug), slug: category.slug } }
          : filters;
      // Built as the service builds it, but with the count apart: the table shows what each costs.
      const { options } = await plannedPageOptions(listed, sort, { stock: false }, plans);
      const { page: pageStatement, count } = listingStatements(listed, sort, page, {
        ...options,
        counted: false,
      });
      return { page: pageStatement, count, counted: options.counted };
    },
    close: () => database.close(),
  };
}
