import type { Money, Page } from './common.js';

/** draft: being prepared, admins only; active: on sale; archived: out of listings, still readable by id. */
export type ProductStatus = 'draft' | 'active' | 'archived';
export type VariantStatus = 'active' | 'archived';

export interface Category {
  id: string;
  name: string;
  slug: string;
  parentId: string | null;
}

/** A category with its subcategories, as GET /api/categories returns the tree. */
export interface CategoryNode extends Category {
  children: CategoryNode[];
}

/** One category with its subtree and the path from the root (for breadcrumbs). */
export interface CategoryDetail extends CategoryNode {
  ancestors: Category[];
}

export interface NewCategory {
  name: string;
  slug: string;
  parentId?: string | null;
}

export interface CategoryUpdate {
  name?: string;
  slug?: string;
  parentId?: string | null;
}

/** Option values that tell a product's variants apart, e.g. `{ size: 'M', colour: 'red' }`. */
export type VariantOptions = Record<string, string>;

/** Free-form product facts shown on its page, e.g. `{ material: 'cotton', weightGrams: 180 }`. */
export type ProductAttributes = Record<string, string | number | boolean>;

export interface Variant {
  id: string;
  productId: string;
  sku: string;
  options: VariantOptions;
  /** Integer amount in the currency's minor unit; every variant of a product has the same currency. */
  price: Money;
  status: VariantStatus;
  /** Units that can still be sold: on hand minus reserved, never below zero. */
  available: number;
  /** Present for callers with inventory or catalog permissions. */
  onHand?: number;
  reserved?: number;
}

export interface Product {
  id: string;
  name: string;
  slug: string;
  description: string;
  images: string[];
  attributes: ProductAttributes;
  status: ProductStatus;
  currency: string;
  /** The lowest price among its variants on sale ("from $…"): what price sorts and filters use. */
  fromPrice: Money | null;
  categories: Category[];
  variants: Variant[];
  createdAt: string;
  updatedAt: string;
}

export type ProductSort = 'newest' | 'price' | '-price' | 'name' | '-name' | 'relevance';

export interface ProductListQuery {
  /** Slug or id; the listing includes the category's subcategories. */
  category?: string;
  /** Words searched in names and descriptions (web search syntax: "quoted phrase", -excluded, or). */
  q?: string;
  /**
   * Inclusive bounds, in minor units, on the product's "from" price: the lowest price among its
   * variants on sale, the one the price sorts use.
   */
  minPrice?: number;
  maxPrice?: number;
  /** Only products with a variant that can be bought now. */
  inStock?: boolean;
  /** `relevance` needs `q`; the default is `relevance` with `q` and `newest` without. */
  sort?: ProductSort;
  /** Admins (catalog:write) only; everyone else sees active products. */
  status?: ProductStatus;
  limit?: number;
  offset?: number;
  /** A page's `nextCursor`, for the page after it in the same sort; not combined with `offset`. */
  after?: string;
}

export interface NewVariant {
  sku: string;
  options?: VariantOptions;
  price: Money;
  /** Units on hand to start with; recorded in the ledger as the initial movement. */
  stock?: number;
}

export interface VariantUpdate {
  sku?: string;
  options?: VariantOptions;
  price?: Money;
  status?: VariantStatus;
}

export interface NewProduct {
  name: string;
  /** Derived from the name when omitted. */
  slug?: string;
  description?: string;
  images?: string[];
  attributes?: ProductAttributes;
  status?: Exclude<ProductStatus, 'archived'>;
  categoryIds?: string[];
  variants: NewVariant[];
}

export interface ProductUpdate {
  name?: string;
  slug?: string;
  description?: string;
  images?: string[];
  attributes?: ProductAttributes;
  status?: ProductStatus;
  categoryIds?: string[];
}

export interface StockAdjustment {
  /** Units added to (positive) or taken from (negative) the stock on hand. */
  delta: number;
  /** Why, for the ledger: "count after stocktake", "damaged". */
  note?: string;
}

export type StockMovementReason = 'initial' | 'adjustment' | 'reserve' | 'commit' | 'release' | 'expire';

/** One line of the inventory ledger; summing a variant's lines gives its on-hand and reserved stock. */
export interface StockMovement {
  id: string;
  variantId: string;
  reason: StockMovementReason;
  deltaOnHand: number;
  deltaReserved: number;
  orderId: string | null;
  /** `user:<id>` for an admin, `service:<name>` for an internal caller, `system:expiry` for the sweeper. */
  actor: string;
  note: string | null;
  createdAt: string;
}

/** A variant's stock next to the sums of its whole ledger, which match it when nothing went astray. */
export interface StockLedger {
  variantId: string;
  onHand: number;
  reserved: number;
  available: number;
  ledgerOnHand: number;
  ledgerReserved: number;
  /** Newest first. */
  movements: Page<StockMovement>;
}

export interface ReservationItem {
  variantId: string;
  quantity: number;
}

export type ReservationStatus = 'active' | 'committed' | 'released' | 'expired';

export interface Reservation {
  orderId: string;
  status: ReservationStatus;
  items: ReservationItem[];
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface ReservationRequest {
  orderId: string;
  items: ReservationItem[];
  /** How long the stock is held before the service releases it itself. */
  ttlSeconds?: number;
}

/** One line of a refused reservation: `available` is what could be reserved now. */
export interface StockShortfall {
  variantId: string;
  requested: number;
  available: number;
}

/** What cart and order pricing need about a variant, read fresh. */
export interface VariantAvailability {
  variantId: string;
  productId: string;
  productName: string;
  productSlug: string;
  sku: string;
  options: VariantOptions;
  price: Money;
  /** `active` only when both the product and the variant are on sale. */
  status: ProductStatus;
  available: number;
  image: string | null;
}

export interface VariantLookup {
  items: VariantAvailability[];
  /** Ids asked for that name no variant. */
  missing: string[];
}
