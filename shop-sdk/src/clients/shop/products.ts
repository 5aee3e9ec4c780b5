import type { HttpClient } from '../../http/client.js';
import type { Page } from '../../contracts/common.js';
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

  list(query: ProductListQuery = {}): Promise<Page<Product>> {
    return this.http.get<Page<Product>>('/api/products', { ...query });
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
}
