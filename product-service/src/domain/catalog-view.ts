import type {
  Category as CategoryView,
  Product as ProductView,
  Variant as VariantView,
} from '@escalable/shop-sdk';
import { Category, Product, Variant } from '../db/models.js';

/** Loads what a product view needs in one query. */
export const withVariantsAndCategories = [
  { model: Variant, as: 'variants' },
  { model: Category, as: 'categories', through: { attributes: [] } },
];

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

export function toVariantView(variant: Variant, viewer: Pick<Viewer, 'seesStock'>): VariantView {
  return {
    id: variant.id,
    productId: variant.productId,
    sku: variant.sku,
    options: variant.options,
    price: { amount: variant.price, currency: variant.currency },
    status: variant.status,
    available: Math.max(0, variant.onHand - variant.reserved),
    ...(viewer.seesStock ? { onHand: variant.onHand, reserved: variant.reserved } : {}),
  };
}

export function toProductView(product: Product, viewer: Viewer): ProductView {
  return {
    id: product.id,
    name: product.name,
    slug: product.slug,
    description: product.description,
    images: product.images,
    attributes: product.attributes,
    status: product.status,
    currency: product.currency,
    categories: [...(product.categories ?? [])]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(toCategoryView),
    variants: [...(product.variants ?? [])]
      .sort((a, b) => a.position - b.position)
      .map((variant) => toVariantView(variant, viewer)),
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}
