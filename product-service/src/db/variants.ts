import { QueryTypes, type Transaction } from 'sequelize';
import type { ProductStatus, VariantOptions, VariantStatus } from '@escalable/shop-sdk';
import { Variant } from './models.js';
import { availableUnits } from './stock-ledger.js';

/** A variant as stored, with the units that can be sold now. */
export interface StoredVariant {
  id: string;
  productId: string;
  sku: string;
  options: VariantOptions;
  price: number;
  currency: string;
  status: VariantStatus;
  onHand: number;
  reserved: number;
  available: number;
}

/** The columns of a {@link StoredVariant}, selected from `variants v`. */
export const VARIANT_COLUMNS = `v.id, v.product_id AS "productId", v.sku, v.options, v.price, v.currency, v.status,
  v.on_hand AS "onHand", v.reserved, ${availableUnits('v')} AS available`;

export async function findStoredVariant(
  variantId: string,
  transaction?: Transaction,
): Promise<StoredVariant | undefined> {
  const [variant] = await Variant.sequelize!.query<StoredVariant>(
    `SELECT ${VARIANT_COLUMNS} FROM variants v WHERE v.id = $variantId`,
    { bind: { variantId }, type: QueryTypes.SELECT, transaction },
  );
  return variant;
}

/** A variant with what a cart line shows of its product. */
export interface VariantOfProduct extends StoredVariant {
  productName: string;
  productSlug: string;
  productStatus: ProductStatus;
  image: string | null;
}

/** The variants among these ids, with their products; ids that name no variant are left out. */
export async function findVariantsOfProducts(variantIds: string[]): Promise<VariantOfProduct[]> {
  return Variant.sequelize!.query<VariantOfProduct>(
    `SELECT ${VARIANT_COLUMNS}, p.name AS "productName", p.slug AS "productSlug",
            p.status AS "productStatus", p.images ->> 0 AS image
     FROM variants v JOIN products p ON p.id = v.product_id
     WHERE v.id = ANY($variantIds::uuid[])`,
    { bind: { variantIds }, type: QueryTypes.SELECT },
  );
}
