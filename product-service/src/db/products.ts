import { QueryTypes, type Transaction } from 'sequelize';
import type { Product as ProductView, Variant as VariantView } from '@escalable/shop-sdk';
import { Product } from './models.js';
import { availableUnits, LAPSED_UNITS_BY_VARIANT } from './stock-ledger.js';

/** Whether the reader sees the stock figures behind `available` (on hand, reserved): staff do. */
export interface ViewScope {
  stock: boolean;
}

/**
 * What a reader sees of the variant row `v`, as JSON text: its stored fields, kept open (migration
 * view-heads), with the stock added as it is now.
 */
export function variantViewText(scope: ViewScope): string {
  const stock = scope.stock ? ` || ',"onHand":' || v.on_hand || ',"reserved":' || v.reserved` : '';
  return `v.view_head || ',"available":' || ${availableUnits('v')}${stock} || '}'`;
}

/** Where a product view's rows come from: `products p` among `from`, those `where` keeps, shown in `order`. */
export interface ProductRows {
  from: string;
  where: string;
  order: string;
  /** A statement of the same products' ids that reads less, when `from` already names them. */
  ids?: string;
}

/**
 * What a reader sees of the products `rows` selects, with their categories and variants, as a JSON array
 * text: the one definition of the product's public and staff views. The product's and each variant's own
 * fields are stored as JSON by their rows' triggers, without their closing brace, for the fields added
 * here; each product's categories are stored as the JSON list it shows (migration category-lists), so a
 * listing sends its page as PostgreSQL wrote it instead of parsing it into objects to print them again.
 * The variants come from each product's stored public list, unless the reader is staff (who see the
 * stock figures too) or an expired reservation still holds units of one of them: those are gathered as
 * the variants stand.
 */
export function productViewsText(
  scope: ViewScope,
  { from, where, order, ids = `SELECT p.id FROM ${from} WHERE ${where}` }: ProductRows,
): string {
  const variants = variantLists(scope, ids);
  return `SELECT '[' || coalesce(string_agg(p.view_head
      || ',"categories":' || coalesce(categories.list, '[]')
      || ',"variants":[' || coalesce(${variants.list}, '') || ']}', ',' ORDER BY ${order}), '') || ']'
    FROM ${from}
    LEFT JOIN product_category_lists categories ON categories.product_id = p.id
    ${variants.join}
    WHERE ${where}`;
}

/** Where the variants of each product `p` among the products `ids` selects come from, and their list. */
function variantLists(scope: ViewScope, ids: string): { join: string; list: string } {
  const gathered = `string_agg(${variantViewText(scope)}, ',' ORDER BY v.position)`;
  if (scope.stock) {
    return {
      join: `LEFT JOIN (
      SELECT v.product_id, ${gathered} AS list FROM variants v
      WHERE v.product_id IN (${ids})
      GROUP BY v.product_id
    ) variants ON variants.product_id = p.id`,
      list: 'variants.list',
    };
  }
  // The lapsed units are computed once per statement, and are almost always none.
  return {
    join: 'LEFT JOIN product_variant_lists stored ON stored.product_id = p.id',
    list: `CASE WHEN jsonb_exists_any(${LAPSED_UNITS_BY_VARIANT}, stored.variant_ids)
      THEN (SELECT ${gathered} FROM variants v WHERE v.product_id = p.id)
      ELSE stored.public_list END`,
  };
}

/** A product's view, found by its id or by its slug. */
export async function findProductView(
  by: 'id' | 'slug',
  key: string,
  scope: ViewScope,
): Promise<ProductView | undefined> {
  const [found] = await Product.sequelize!.query<{ views: ProductView[] }>(
    `SELECT (${productViewsText(scope, {
      from: 'products p',
      where: by === 'id' ? 'p.id = $key::uuid' : 'p.slug = $key',
      order: 'p.id',
    })})::json AS views`,
    { bind: { key }, type: QueryTypes.SELECT },
  );
  return found!.views[0];
}

/** A variant's view with its stock figures, as staff see it after changing it. */
export async function findVariantView(
  variantId: string,
  transaction?: Transaction,
): Promise<VariantView | undefined> {
  const [found] = await Product.sequelize!.query<{ view: VariantView }>(
    `SELECT (${variantViewText({ stock: true })})::json AS view FROM variants v WHERE v.id = $variantId`,
    { bind: { variantId }, type: QueryTypes.SELECT, transaction },
  );
  return found?.view;
}
