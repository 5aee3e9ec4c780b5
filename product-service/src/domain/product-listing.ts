import type { CursorPage, Product as ProductView, ProductListQuery, ProductSort } from '@escalable/shop-sdk';
import type { CountPlans } from '../db/count-plans.js';
import { findProductPage } from '../db/product-listing.js';
import { problems } from '@escalable/shop-sdk';
import { categoryKey } from './categories.js';
import type { Viewer } from './catalog-view.js';
import { jsonWithField, type JsonText } from './json-text.js';
import { decodeCursor, encodeCursor } from './listing-cursor.js';
import { webSearchText } from './product-search.js';

export type ListQuery = ProductListQuery & { limit: number; offset: number };

export interface ListingDependencies {
  countPlans: CountPlans;
}

/**
 * The catalog listing: what is on sale unless staff ask for another status, a category with the ones
 * below it, and the visitor's search rewritten so PostgreSQL can always read it. A page starts at
 * `offset`, or right after the product a cursor names.
 */
export async function listProducts(
  query: ListQuery,
  viewer: Viewer,
  { countPlans }: ListingDependencies,
): Promise<JsonText<CursorPage<ProductView>>> {
  const sort: ProductSort = query.sort ?? (query.q ? 'relevance' : 'newest');
  const after = query.after === undefined ? undefined : decodeCursor(query.after, sort);
  const page = await findProductPage(
    {
      status: query.status ?? 'active',
      category: query.category ? categoryKey(query.category) : undefined,
      searchText: query.q ? webSearchText(query.q) : undefined,
      minPrice: query.minPrice,
      maxPrice: query.maxPrice,
      inStock: query.inStock,
    },
    sort,
    { limit: query.limit, offset: query.offset, after },
    { stock: viewer.seesStock },
    countPlans,
  );
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
