import { bodyOf, type ApiTransport, type CallOptions } from '../../http/api-transport.js';
import type { CursorPage } from '../../contracts/common.js';
import {
  CATALOG_IMPORT_MEDIA_TYPES,
  type CatalogImportOptions,
  type CatalogImportReport,
} from '../../contracts/catalog-import.js';
import type {
  NewProduct,
  NewVariant,
  Product,
  ProductListQuery,
  ProductUpdate,
  StockAdjustment,
  StockLedger,
  Variant,
  VariantUpdate,
} from '../../contracts/products.js';

const at = (id: string) => encodeURIComponent(id);
const variantPath = (productId: string, variantId: string) =>
  `/api/products/${at(productId)}/variants/${at(variantId)}`;

/** /api/products: the catalog for visitors, and its administration (catalog:write, inventory:write). */
export class ProductsApi {
  constructor(private readonly http: ApiTransport) {}

  list(query: ProductListQuery = {}, call?: CallOptions): Promise<CursorPage<Product>> {
    return bodyOf<CursorPage<Product>>(this.http, { path: '/api/products', query: { ...query }, ...call });
  }

  /** By id or slug; archived products stay readable for old orders. */
  get(idOrSlug: string, call?: CallOptions): Promise<Product> {
    return bodyOf<Product>(this.http, { path: `/api/products/${at(idOrSlug)}`, ...call });
  }

  create(product: NewProduct, call?: CallOptions): Promise<Product> {
    return bodyOf<Product>(this.http, { method: 'POST', path: '/api/products', body: product, ...call });
  }

  update(productId: string, update: ProductUpdate, call?: CallOptions): Promise<Product> {
    return bodyOf<Product>(this.http, {
      method: 'PATCH',
      path: `/api/products/${at(productId)}`,
      body: update,
      ...call,
    });
  }

  archive(productId: string, call?: CallOptions): Promise<Product> {
    return bodyOf<Product>(this.http, {
      method: 'POST',
      path: `/api/products/${at(productId)}/archive`,
      ...call,
    });
  }

  addVariant(productId: string, variant: NewVariant, call?: CallOptions): Promise<Variant> {
    return bodyOf<Variant>(this.http, {
      method: 'POST',
      path: `/api/products/${at(productId)}/variants`,
      body: variant,
      ...call,
    });
  }

  updateVariant(
    productId: string,
    variantId: string,
    update: VariantUpdate,
    call?: CallOptions,
  ): Promise<Variant> {
    return bodyOf<Variant>(this.http, {
      method: 'PATCH',
      path: variantPath(productId, variantId),
      body: update,
      ...call,
    });
  }

  adjustStock(
    productId: string,
    variantId: string,
    adjustment: StockAdjustment,
    call?: CallOptions,
  ): Promise<Variant> {
    return bodyOf<Variant>(this.http, {
      method: 'POST',
      path: `${variantPath(productId, variantId)}/stock-adjustments`,
      body: adjustment,
      ...call,
    });
  }

  stockLedger(
    productId: string,
    variantId: string,
    page: { limit?: number; offset?: number } = {},
    call?: CallOptions,
  ): Promise<StockLedger> {
    return bodyOf<StockLedger>(this.http, {
      path: `${variantPath(productId, variantId)}/stock-movements`,
      query: { ...page },
      ...call,
    });
  }

  /**
   * Creates and updates products by SKU from an NDJSON or CSV file (catalog:write). A file with a bad
   * line is refused whole: a 422 Problem whose `errors` name each line and field.
   */
  importCatalog(
    file: string,
    options: CatalogImportOptions,
    call?: CallOptions,
  ): Promise<CatalogImportReport> {
    return bodyOf<CatalogImportReport>(this.http, {
      method: 'POST',
      path: '/api/products/import',
      query: { dryRun: options.dryRun },
      text: { body: file, contentType: CATALOG_IMPORT_MEDIA_TYPES[options.format] },
      timeoutMs: options.timeoutMs ?? 120_000,
      ...call,
    });
  }
}
