import type { CursorPage, Product as ProductView, ProductListQuery, ProductSort } from '@escalable/shop-sdk';
import {
  findProductPage,
  type ListingPlanners,
  type PageRequest,
  type ProductFilters,
} from '../db/product-listing.js';
import { problems } from '@escalable/shop-sdk';
import { categoryKey } from './categories.js';
import type { Viewer } from './catalog-view.js';
import { jsonWithField, type JsonText } from './json-text.js';
import { decodeCursor, encodeCursor } from './listing-cursor.js';
import { webSearchText } from './product-search.js';

/** What listings keep between requests, built once by the app. */
export type { ListingPlanners };

export type ListQuery = ProductListQuery & { limit: number; offset: number };

/**
 * What a listing query asks of the catalog: what is on sale unless staff ask for another status, a
 * category with the ones below it, the visitor's search rewritten so PostgreSQL can always read it, and
 * where the page starts (`offset`, or right after the product a cursor names). Exported so the bench
 * builds the very statements a request runs.
 */
export function listingRequest(
  query: Omit<ListQuery, 'limit' | 'offset'> & { limit?: number; offset?: number },
): {
  filters: ProductFilters;
  sort: ProductSort;
  page: PageRequest;
} {
  const sort: ProductSort = query.sort ?? (query.q ? 'relevance' : 'newest');
  return {
    filters: {
      status: query.status ?? 'active',
      category: query.category ? categoryKey(query.category) : undefined,
      searchText: query.q ? webSearchText(query.q) : undefined,
      minPrice: query.minPrice,
      maxPrice: query.maxPrice,
      inStock: query.inStock,
    },
    sort,
    page: {
      limit: query.limit ?? 20,
      offset: query.offset ?? 0,
      after: query.after === undefined ? undefined : decodeCursor(query.after, sort),
    },
  };
}

/** The catalog listing's page for this reader, with its total and the cursor of the next page. */
export async function listProducts(
  query: ListQuery,
  viewer: Viewer,
  planners: ListingPlanners,
): Promise<JsonText<CursorPage<ProductView>>> {
  const { filters, sort, page: pageRequest } = listingRequest(query);
  const page = await findProductPage(filters, sort, pageRequest, { stock: viewer.seesStock }, planners);
  if (!page) throw problems.notFound(`The category "${query.category}"`);
  const fields: Omit<CursorPage<ProductView>, 'items'> = {
    total: page.total,
    totalIsEstimate: page.totalIsEstimate,
    limit: query.limit,
    offset: query.offset,
    nextCursor: page.next ? encodeCursor(sort, page.next) : null,
  };
  return jsonWithField(fields, 'items', page.itemsJson);
}
