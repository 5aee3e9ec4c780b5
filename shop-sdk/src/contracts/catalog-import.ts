import type { Money } from './common.js';
import type { ProductAttributes, ProductStatus, VariantOptions } from './products.js';

/**
 * POST /api/products/import (catalog:write): up to {@link CATALOG_IMPORT_MAX_PRODUCTS} products with
 * their variants, as NDJSON (one {@link CatalogImportProduct} per line) or CSV (one variant per row, the
 * columns of {@link CATALOG_IMPORT_CSV_COLUMNS}). A variant's SKU is its identity: a product whose SKUs
 * exist is updated, new SKUs are created, and the same file twice changes nothing the second time.
 * Every line is checked before anything is written; one bad line and nothing is.
 */
export type CatalogImportFormat = 'ndjson' | 'csv';

export const CATALOG_IMPORT_MEDIA_TYPES = {
  ndjson: 'application/x-ndjson',
  csv: 'text/csv',
} as const satisfies Record<CatalogImportFormat, string>;

export const CATALOG_IMPORT_MAX_PRODUCTS = 10_000;

/**
 * The CSV header. `categories` is `|`-separated category slugs, `options` is `key=value|key=value`;
 * rows with the same `slug` (or, without one, the same name) are one product, whose fields come from
 * its first row. An empty cell leaves its field out.
 */
export const CATALOG_IMPORT_CSV_COLUMNS = [
  'slug',
  'name',
  'description',
  'status',
  'categories',
  'sku',
  'options',
  'price_amount',
  'currency',
  'stock',
] as const;

export interface CatalogImportVariant {
  sku: string;
  options?: VariantOptions;
  price: Money;
  /** Units on hand: the first stock of a new variant; an existing one's on-hand is set to it. */
  stock?: number;
}

/** One NDJSON line. Fields left out keep their stored value on an update. */
export interface CatalogImportProduct {
  name: string;
  /** Derived from the name for a new product when left out. */
  slug?: string;
  description?: string;
  images?: string[];
  attributes?: ProductAttributes;
  /** `active` for a new product when left out. */
  status?: ProductStatus;
  /** Slugs of existing categories; the product's categories become exactly these. */
  categories?: string[];
  variants: CatalogImportVariant[];
}

export interface CatalogImportOptions {
  format: CatalogImportFormat;
  /** Checks the file and answers what it would change, writing nothing. */
  dryRun?: boolean;
  /** For the whole call; 10 000 products take seconds. Two minutes when left out. */
  timeoutMs?: number;
}

/** The answer to an import (or a dry run): what changed. `lines` counts the product lines or CSV rows read. */
export interface CatalogImportReport {
  products: { created: number; updated: number; unchanged: number };
  variants: { created: number; updated: number };
  lines: number;
}

/**
 * One fault of a refused import (422, problem type `invalid-import`, with `errors` capped at 100 and
 * `errorCount` for the whole file): the 1-based line (CSV: header = 1) and the field, like
 * `variants[0].price.amount` (CSV: the column, like `price_amount`).
 */
export interface CatalogImportError {
  line: number;
  field: string;
  detail: string;
}
