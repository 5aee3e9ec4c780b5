import { QueryTypes } from 'sequelize';
import type { Page, Product as ProductView, ProductListQuery, ProductSort } from '@escalable/shop-sdk';
import { Product } from '../db/models.js';
import { availableUnits } from '../db/stock-ledger.js';
import { categoryAndDescendants } from './categories.js';
import { PRODUCT_COLUMNS, toProductView, type ProductRow, type Viewer } from './catalog-view.js';
import { webSearchText } from './product-search.js';

export type ListQuery = ProductListQuery & { limit: number; offset: number };

/** The lowest price among a product's variants on sale: what "from $…" shows and price sorts by. */
const FROM_PRICE = `(SELECT min(v.price) FROM variants v WHERE v.product_id = p.id AND v.status = 'active')`;

const ORDER_BY: Record<ProductSort, string> = {
  newest: 'p.created_at DESC, p.id',
  price: `${FROM_PRICE} ASC NULLS LAST, p.id`,
  '-price': `${FROM_PRICE} DESC NULLS LAST, p.id`,
  name: 'lower(p.name) ASC, p.id',
  '-name': 'lower(p.name) DESC, p.id',
  relevance: "ts_rank(p.search_vector, websearch_to_tsquery('simple', $q)) DESC, p.created_at DESC, p.id",
};

/**
 * The catalog listing: filters become one WHERE clause over products, and one query returns the page's
 * products whole together with the total of matches.
 */
export async function listProducts(query: ListQuery, viewer: Viewer): Promise<Page<ProductView>> {
  const conditions = ['p.status = $status'];
  const bind: Record<string, unknown> = { status: query.status ?? 'active' };
  if (query.category) {
    bind.categoryIds = await categoryAndDescendants(query.category);
    conditions.push(
      'EXISTS (SELECT 1 FROM product_categories pc WHERE pc.product_id = p.id AND pc.category_id = ANY($categoryIds::uuid[]))',
    );
  }
  if (query.q) {
    bind.q = webSearchText(query.q);
    conditions.push("p.search_vector @@ websearch_to_tsquery('simple', $q)");
  }
  // Price and stock are properties of variants: a product matches when one variant on sale meets them all.
  const variantConditions: string[] = [];
  if (query.minPrice !== undefined) {
    bind.minPrice = query.minPrice;
    variantConditions.push('v.price >= $minPrice');
  }
  if (query.maxPrice !== undefined) {
    bind.maxPrice = query.maxPrice;
    variantConditions.push('v.price <= $maxPrice');
  }
  if (query.inStock) variantConditions.push(`${availableUnits('v')} > 0`);
  if (variantConditions.length > 0) {
    conditions.push(
      `EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.status = 'active' AND ${variantConditions.join(' AND ')})`,
    );
  }
  const where = conditions.join(' AND ');
  const sort = query.sort ?? (query.q ? 'relevance' : 'newest');
  const sequelize = Product.sequelize!;
  const rows = await sequelize.query<ProductRow & { total: string }>(
    `WITH page AS (
       SELECT p.id, count(*) OVER () AS total, row_number() OVER (ORDER BY ${ORDER_BY[sort]}) AS position
       FROM products p
       WHERE ${where}
       ORDER BY position
       LIMIT $limit OFFSET $offset
     )
     SELECT page.total, ${PRODUCT_COLUMNS}
     FROM page JOIN products p ON p.id = page.id
     ORDER BY page.position`,
    { bind: { ...bind, limit: query.limit, offset: query.offset }, type: QueryTypes.SELECT },
  );
  return {
    items: rows.map((row) => toProductView(row, viewer)),
    total: rows[0] ? Number(rows[0].total) : await countBeyondLastPage(where, bind, query.offset),
    limit: query.limit,
    offset: query.offset,
  };
}

/** A page past the end carries no count with it; the total is then asked for on its own. */
async function countBeyondLastPage(
  where: string,
  bind: Record<string, unknown>,
  offset: number,
): Promise<number> {
  if (offset === 0) return 0;
  const [counted] = await Product.sequelize!.query<{ total: string }>(
    `SELECT count(*) AS total FROM products p WHERE ${where}`,
    { bind, type: QueryTypes.SELECT },
  );
  return Number(counted!.total);
}
