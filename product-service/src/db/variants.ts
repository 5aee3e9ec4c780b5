import { QueryTypes, type Transaction } from 'sequelize';
import type { VariantOptions, VariantStatus } from '@escalable/shop-sdk';
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
