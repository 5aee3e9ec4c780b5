import { QueryTypes, type Transaction } from 'sequelize';
import type { Product as ProductView, Variant as VariantView } from '@escalable/shop-sdk';
import { Product } from './models.js';
import { availableUnits } from './stock-ledger.js';

/** Whether the reader sees the stock figures behind `available` (on hand, reserved): staff do. */
export interface ViewScope {
  stock: boolean;
}

/** A timestamp in JSON as JavaScript's `toISOString` writes it: UTC, milliseconds, `Z`. */
const isoTimestamp = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** What a reader sees of the variant row `v`, as a JSON expression. */
export function variantViewJson(scope: ViewScope): string {
  return `json_build_object(
    'id', v.id, 'productId', v.product_id, 'sku', v.sku, 'options', v.options,
    'price', json_build_object('amount', v.price, 'currency', v.currency), 'status', v.status,
    'available', ${availableUnits('v')}${scope.stock ? `, 'onHand', v.on_hand, 'reserved', v.reserved` : ''})`;
}

/**
 * What a reader sees of the product row `p`, with its categories and variants, as a JSON expression:
 * the one definition of the product's public and staff views. PostgreSQL writes it, so a listing
 * sends its page as PostgreSQL wrote it instead of parsing it into objects to print them again.
 */
export function productViewJson(scope: ViewScope): string {
  return `json_build_object(
    'id', p.id, 'name', p.name, 'slug', p.slug, 'description', p.description, 'images', p.images,
    'attributes', p.attributes, 'status', p.status, 'currency', p.currency,
    'fromPrice', CASE WHEN p.from_price IS NOT NULL
                 THEN json_build_object('amount', p.from_price, 'currency', p.currency) END,
    'categories', coalesce((
      SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'slug', c.slug, 'parentId', c.parent_id) ORDER BY c.name)
      FROM product_categories pc JOIN categories c ON c.id = pc.category_id
      WHERE pc.product_id = p.id
    ), '[]'),
    'variants', coalesce((
      SELECT json_agg(${variantViewJson(scope)} ORDER BY v.position) FROM variants v WHERE v.product_id = p.id
    ), '[]'),
    'createdAt', ${isoTimestamp('p.created_at')}, 'updatedAt', ${isoTimestamp('p.updated_at')})`;
}

/** A product's view, found by its id or by its slug. */
export async function findProductView(
  by: 'id' | 'slug',
  key: string,
  scope: ViewScope,
): Promise<ProductView | undefined> {
  const [found] = await Product.sequelize!.query<{ view: ProductView }>(
    `SELECT ${productViewJson(scope)} AS view FROM products p
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
    `SELECT ${variantViewJson({ stock: true })} AS view FROM variants v WHERE v.id = $variantId`,
    { bind: { variantId }, type: QueryTypes.SELECT, transaction },
  );
  return found?.view;
}
