import { QueryTypes } from 'sequelize';
import type { Page, Product as ProductView, ProductListQuery, ProductSort } from '@escalable/shop-sdk';
import { Product } from '../db/models.js';
import { categoryAndDescendants } from './categories.js';
import { toProductView, withVariantsAndCategories, type Viewer } from './catalog-view.js';

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
 * The catalog listing: filters become one WHERE clause over products, so the page and its total come
 * from the same conditions; then the page's products are loaded whole.
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
    bind.q = query.q;
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
  if (query.inStock) variantConditions.push('v.on_hand > v.reserved');
  if (variantConditions.length > 0) {
    conditions.push(
      `EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.status = 'active' AND ${variantConditions.join(' AND ')})`,
    );
  }
  const where = conditions.join(' AND ');
  const sort = query.sort ?? (query.q ? 'relevance' : 'newest');
  const sequelize = Product.sequelize!;
  const [[counted], page] = await Promise.all([
    sequelize.query<{ total: string }>(`SELECT count(*) AS total FROM products p WHERE ${where}`, {
      bind,
      type: QueryTypes.SELECT,
    }),
    sequelize.query<{ id: string }>(
      `SELECT p.id FROM products p WHERE ${where} ORDER BY ${ORDER_BY[sort]} LIMIT $limit OFFSET $offset`,
      { bind: { ...bind, limit: query.limit, offset: query.offset }, type: QueryTypes.SELECT },
    ),
  ]);
  const ids = page.map((row) => row.id);
  const products =
    ids.length > 0 ? await Product.findAll({ where: { id: ids }, include: withVariantsAndCategories }) : [];
  const byId = new Map(products.map((product) => [product.id, product]));
  return {
    items: ids.flatMap((id) => {
      const product = byId.get(id);
      return product ? [toProductView(product, viewer)] : [];
    }),
    total: Number(counted!.total),
    limit: query.limit,
    offset: query.offset,
  };
}
