import type { HttpClient } from '../../http/client.js';
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

/** /api/products: the catalog for visitors, and its administration (catalog:write, inventory:write). */
export class ProductsApi {
  constructor(private readonly http: HttpClient) {}

  list(query: ProductListQuery = {}): Promise<CursorPage<Product>> {
    return this.http.get<CursorPage<Product>>('/api/products', { ...query });
  }

  /** By id or slug; archived products stay readable for old orders. */
  get(idOrSlug: string): Promise<Product> {
    return this.http.get<Product>(`/api/products/${at(idOrSlug)}`);
  }

  create(product: NewProduct): Promise<Product> {
    return this.http.post<Product>('/api/products', product);
  }

  update(productId: string, update: ProductUpdate): Promise<Product> {
    return this.http.patch<Product>(`/api/products/${at(productId)}`, update);
  }

  archive(productId: string): Promise<Product> {
    return this.http.post<Product>(`/api/products/${at(productId)}/archive`);
  }

  addVariant(productId: string, variant: NewVariant): Promise<Variant> {
    return this.http.post<Variant>(`/api/products/${at(productId)}/variants`, variant);
  }

  updateVariant(productId: string, variantId: string, update: VariantUpdate): Promise<Variant> {
    return this.http.patch<Variant>(`/api/products/${at(productId)}/variants/${at(variantId)}`, update);
  }

  adjustStock(productId: string, variantId: string, adjustment: StockAdjustment): Promise<Variant> {
    return this.http.post<Variant>(
      `/api/products/${at(productId)}/variants/${at(variantId)}/stock-adjustments`,
      adjustment,
    );
  }

  stockLedger(
    productId: string,
    variantId: string,
    page: { limit?: number; offset?: number } = {},
  ): Promise<StockLedger> {
    return this.http.get<StockLedger>(
      `/api/products/${at(productId)}/variants/${at(variantId)}/stock-movements`,
      {
        ...page,
      },
    );
  }

  /**
   * Creates and updates products by SKU from an NDJSON or CSV file (catalog:write). A file with a bad
   * line is refused whole: a 422 Problem whose `errors` name each line and field.
   */
  async importCatalog(file: string, options: CatalogImportOptions): Promise<CatalogImportReport> {
    const answer = await this.http.request<CatalogImportReport>({
      method: 'POST',
      path: '/api/products/import',
      query: { dryRun: options.dryRun },
      text: { body: file, contentType: CATALOG_IMPORT_MEDIA_TYPES[options.format] },
      timeoutMs: options.timeoutMs ?? 120_000,
    });
    return answer.body;
  }
}
