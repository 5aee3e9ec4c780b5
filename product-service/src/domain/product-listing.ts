import type { Page, Product as ProductView, ProductListQuery } from '@escalable/shop-sdk';
import { findProductPage } from '../db/product-listing.js';
import { categoryAndDescendants } from './categories.js';
import { toProductView, type Viewer } from './catalog-view.js';
import { webSearchText } from './product-search.js';

export type ListQuery = ProductListQuery & { limit: number; offset: number };

/**
 * The catalog listing: what is on sale unless staff ask for another status, a category with the ones
 * below it, and the visitor's search rewritten so PostgreSQL can always read it.
 */
export async function listProducts(query: ListQuery, viewer: Viewer): Promise<Page<ProductView>> {
  const { rows, total } = await findProductPage(
    {
      status: query.status ?? 'active',
      categoryIds: query.category ? await categoryAndDescendants(query.category) : undefined,
      searchText: query.q ? webSearchText(query.q) : undefined,
      minPrice: query.minPrice,
      maxPrice: query.maxPrice,
      inStock: query.inStock,
    },
    query.sort ?? (query.q ? 'relevance' : 'newest'),
    { limit: query.limit, offset: query.offset },
  );
  return {
    items: rows.map((row) => toProductView(row, viewer)),
    total,
    limit: query.limit,
    offset: query.offset,
  };
}
