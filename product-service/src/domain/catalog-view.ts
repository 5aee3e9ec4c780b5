import type {
  Category as CategoryView,
  Product as ProductView,
  Variant as VariantView,
} from '@escalable/shop-sdk';
import type { Category } from '../db/models.js';
import type { ProductRow } from '../db/products.js';
import type { StoredVariant } from '../db/variants.js';

/** Who is reading: staff also see drafts, and stock figures beyond `available`. */
export interface Viewer {
  seesDrafts: boolean;
  seesStock: boolean;
}

export const PUBLIC_VIEWER: Viewer = { seesDrafts: false, seesStock: false };
export const STAFF_VIEWER: Viewer = { seesDrafts: true, seesStock: true };

export function toCategoryView(category: Category): CategoryView {
  return { id: category.id, name: category.name, slug: category.slug, parentId: category.parentId };
}

export function toVariantView(variant: StoredVariant, viewer: Pick<Viewer, 'seesStock'>): VariantView {
  return {
    id: variant.id,
    productId: variant.productId,
    sku: variant.sku,
    options: variant.options,
    price: { amount: variant.price, currency: variant.currency },
    status: variant.status,
    available: variant.available,
    ...(viewer.seesStock ? { onHand: variant.onHand, reserved: variant.reserved } : {}),
  };
}

export function toProductView(row: ProductRow, viewer: Viewer): ProductView {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    description: row.description,
    images: row.images,
    attributes: row.attributes,
    status: row.status,
    currency: row.currency,
    fromPrice: row.fromPrice === null ? null : { amount: row.fromPrice, currency: row.currency },
    categories: row.categories,
    variants: row.variants.map((variant) => toVariantView(variant, viewer)),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
