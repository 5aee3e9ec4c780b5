import { QueryTypes } from 'sequelize';
import type { ProductSort, ProductStatus } from '@escalable/shop-sdk';
import { Product } from './models.js';
import { PRODUCT_COLUMNS, type ProductRow } from './products.js';
import { availableUnits } from './stock-ledger.js';

/** What the listing keeps of the catalog; every filter given must hold. */
export interface ProductFilters {
  status: ProductStatus;
  /** A product in any of these categories. */
  categoryIds?: string[];
  /** Web-search text (`websearch_to_tsquery`) whose every operator has a word to act on. */
  searchText?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
}

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
 * A page of the catalog listing: filters become one WHERE clause over products, and one query returns
 * the page's products whole together with the total of matches. `relevance` needs `searchText`.
 */
export async function findProductPage(
  filters: ProductFilters,
  sort: ProductSort,
  page: { limit: number; offset: number },
): Promise<{ rows: ProductRow[]; total: number }> {
  const conditions = ['p.status = $status'];
  const bind: Record<string, unknown> = { status: filters.status };
  if (filters.categoryIds) {
    bind.categoryIds = filters.categoryIds;
    conditions.push(
      'EXISTS (SELECT 1 FROM product_categories pc WHERE pc.product_id = p.id AND pc.category_id = ANY($categoryIds::uuid[]))',
    );
  }
  if (filters.searchText) {
    bind.q = filters.searchText;
    conditions.push("p.search_vector @@ websearch_to_tsquery('simple', $q)");
  }
  // Price and stock are properties of variants: a product matches when one variant on sale meets them all.
  const variantConditions: string[] = [];
  if (filters.minPrice !== undefined) {
    bind.minPrice = filters.minPrice;
    variantConditions.push('v.price >= $minPrice');
  }
  if (filters.maxPrice !== undefined) {
    bind.maxPrice = filters.maxPrice;
    variantConditions.push('v.price <= $maxPrice');
  }
  if (filters.inStock) variantConditions.push(`${availableUnits('v')} > 0`);
  if (variantConditions.length > 0) {
    conditions.push(
      `EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.status = 'active' AND ${variantConditions.join(' AND ')})`,
    );
  }
  const where = conditions.join(' AND ');
  const rows = await Product.sequelize!.query<ProductRow & { total: string }>(
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
    { bind: { ...bind, limit: page.limit, offset: page.offset }, type: QueryTypes.SELECT },
  );
  return {
    rows,
    total: rows[0] ? Number(rows[0].total) : await countBeyondLastPage(where, bind, page.offset),
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
