import type { ProductStatus, VariantAvailability, VariantLookup } from '@escalable/shop-sdk';
import { findVariantsOfProducts, type VariantOfProduct } from '../db/variants.js';

/**
 * Fresh price, status and availability of variants, for cart and order pricing. Ids that name no
 * variant are listed apart, so a cart holding a stale line can drop it instead of failing whole.
 */
export async function lookupVariants(variantIds: string[]): Promise<VariantLookup> {
  const ids = [...new Set(variantIds)];
  const byId = new Map((await findVariantsOfProducts(ids)).map((variant) => [variant.id, variant]));
  return {
    items: ids.flatMap((id) => {
      const variant = byId.get(id);
      return variant ? [toAvailability(variant)] : [];
    }),
    missing: ids.filter((id) => !byId.has(id)),
  };
}

function toAvailability(variant: VariantOfProduct): VariantAvailability {
  return {
    variantId: variant.id,
    productId: variant.productId,
    productName: variant.productName,
    productSlug: variant.productSlug,
    sku: variant.sku,
    options: variant.options,
    price: { amount: variant.price, currency: variant.currency },
    status: saleStatus(variant),
    available: variant.available,
    image: variant.image,
  };
}

/** A variant can be sold only when it and its product are both active. */
function saleStatus(variant: VariantOfProduct): ProductStatus {
  return variant.productStatus === 'active' && variant.status === 'archived'
    ? 'archived'
    : variant.productStatus;
}
