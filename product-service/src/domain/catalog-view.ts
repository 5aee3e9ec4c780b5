import type {
  Category as CategoryView,
  Product as ProductView,
  Variant as VariantView,
} from '@escalable/shop-sdk';
import type { Category } from '../db/models.js';
import { availableUnits } from '../db/stock-ledger.js';
import type { StoredVariant } from '../db/variants.js';

/** Who is reading: staff also see drafts, and stock figures beyond `available`. */
export interface Viewer {
  seesDrafts: boolean;
  seesStock: boolean;
}

export const PUBLIC_VIEWER: Viewer = { seesDrafts: false, seesStock: false };
export const STAFF_VIEWER: Viewer = { seesDrafts: true, seesStock: true };

/** A product as {@link PRODUCT_COLUMNS} reads it: timestamps as dates, variants with their stock. */
export interface ProductRow extends Omit<ProductView, 'createdAt' | 'updatedAt' | 'variants'> {
  createdAt: Date;
  updatedAt: Date;
  variants: StoredVariant[];
}

/**
 * A product whole, in one query: PostgreSQL builds its categories and variants as JSON. The listing
 * reads a page of these on every visit, and this is several times cheaper than joining through the ORM.
 * Select from `products p`.
 */
export const PRODUCT_COLUMNS = `
  p.id, p.name, p.slug, p.description, p.images, p.attributes, p.status, p.currency,
  p.created_at AS "createdAt", p.updated_at AS "updatedAt",
  coalesce((
    SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'slug', c.slug, 'parentId', c.parent_id) ORDER BY c.name)
    FROM product_categories pc JOIN categories c ON c.id = pc.category_id
    WHERE pc.product_id = p.id
  ), '[]') AS categories,
  coalesce((
    SELECT json_agg(json_build_object(
      'id', v.id, 'productId', v.product_id, 'sku', v.sku, 'options', v.options, 'price', v.price,
      'currency', v.currency, 'status', v.status, 'onHand', v.on_hand, 'reserved', v.reserved,
      'available', ${availableUnits('v')}
    ) ORDER BY v.position)
    FROM variants v
    WHERE v.product_id = p.id
  ), '[]') AS variants`;

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
    categories: row.categories,
    variants: row.variants.map((variant) => toVariantView(variant, viewer)),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
