import type { ProductStatus, VariantAvailability, VariantLookup } from '@escalable/shop-sdk';
import { Product, Variant } from '../db/models.js';
import { availableUnits } from '../db/stock-ledger.js';

/**
 * Fresh price, status and availability of variants, for cart and order pricing. Ids that name no
 * variant are listed apart, so a cart holding a stale line can drop it instead of failing whole.
 */
export async function lookupVariants(variantIds: string[]): Promise<VariantLookup> {
  const variants = await Variant.findAll({
    where: { id: variantIds },
    // "Variant" is the name Sequelize gives the variants table in this query.
    attributes: { include: [[Variant.sequelize!.literal(availableUnits('"Variant"')), 'available']] },
    include: [{ model: Product, as: 'product' }],
  });
  const byId = new Map(variants.map((variant) => [variant.id, variant]));
  const ids = [...new Set(variantIds)];
  return {
    items: ids.flatMap((id) => {
      const variant = byId.get(id);
      return variant ? [toAvailability(variant)] : [];
    }),
    missing: ids.filter((id) => !byId.has(id)),
  };
}

function toAvailability(variant: Variant): VariantAvailability {
  const product = variant.product!;
  return {
    variantId: variant.id,
    productId: product.id,
    productName: product.name,
    productSlug: product.slug,
    sku: variant.sku,
    options: variant.options,
    price: { amount: variant.price, currency: variant.currency },
    status: saleStatus(product.status, variant),
    available: variant.get('available') as number,
    image: product.images[0] ?? null,
  };
}

/** A variant can be sold only when it and its product are both active. */
function saleStatus(productStatus: ProductStatus, variant: Variant): ProductStatus {
  return productStatus === 'active' && variant.status === 'archived' ? 'archived' : productStatus;
}
