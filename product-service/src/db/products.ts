import { QueryTypes, type Transaction } from 'sequelize';
import type { Product as ProductView, Variant as VariantView } from '@escalable/shop-sdk';
import { Product } from './models.js';
import { availableUnits } from './stock-ledger.js';

/** Whether the reader sees the stock figures behind `available` (on hand, reserved): staff do. */
export interface ViewScope {
  stock: boolean;
}

/**
 * What a reader sees of the variant row `v`, as JSON text: its stored fields (migration
 * stored-views) with the stock added as it is now.
 */
export function variantViewText(scope: ViewScope): string {
  const stock = scope.stock ? ` || ',"onHand":' || v.on_hand || ',"reserved":' || v.reserved` : '';
  return `left(v.view_json, -1) || ',"available":' || ${availableUnits('v')}${stock} || '}'`;
}

/**
 * What a reader sees of the product row `p`, with its categories and variants, as JSON text: the one
 * definition of the product's public and staff views. The product's and each variant's own fields are
 * stored as JSON by their rows' triggers; the rest is joined to them here, so a listing sends its page
 * as PostgreSQL wrote it instead of parsing it into objects to print them again.
 */
export function productViewText(scope: ViewScope): string {
  return `left(p.view_json, -1) || ',"categories":' || coalesce((
      SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'slug', c.slug, 'parentId', c.parent_id) ORDER BY c.name)::text
      FROM product_categories pc JOIN categories c ON c.id = pc.category_id
      WHERE pc.product_id = p.id
    ), '[]') || ',"variants":[' || coalesce((
      SELECT string_agg(${variantViewText(scope)}, ',' ORDER BY v.position) FROM variants v WHERE v.product_id = p.id
    ), '') || ']}'`;
}

/** A product's view, found by its id or by its slug. */
export async function findProductView(
  by: 'id' | 'slug',
  key: string,
  scope: ViewScope,
): Promise<ProductView | undefined> {
  const [found] = await Product.sequelize!.query<{ view: ProductView }>(
    `SELECT (${productViewText(scope)})::json AS view FROM products p
     WHERE ${by === 'id' ? 'p.id = $key::uuid' : 'p.slug = $key'}`,
    { bind: { key }, type: QueryTypes.SELECT },
  );
  return found?.view;
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
