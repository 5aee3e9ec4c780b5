import { bodyOf, type ApiTransport, type CallOptions } from '../../http/api-transport.js';
import type {
  Category,
  CategoryDetail,
  CategoryNode,
  CategoryUpdate,
  NewCategory,
} from '../../contracts/products.js';

const at = (id: string) => encodeURIComponent(id);

/** /api/categories: the category tree, and its administration (catalog:write). */
export class CategoriesApi {
  constructor(private readonly http: ApiTransport) {}

  tree(call?: CallOptions): Promise<CategoryNode[]> {
    return bodyOf<CategoryNode[]>(this.http, { path: '/api/categories', ...call });
  }

  get(slug: string, call?: CallOptions): Promise<CategoryDetail> {
    return bodyOf<CategoryDetail>(this.http, { path: `/api/categories/${at(slug)}`, ...call });
  }

  create(category: NewCategory, call?: CallOptions): Promise<Category> {
    return bodyOf<Category>(this.http, { method: 'POST', path: '/api/categories', body: category, ...call });
  }

  update(categoryId: string, update: CategoryUpdate, call?: CallOptions): Promise<Category> {
    return bodyOf<Category>(this.http, {
      method: 'PATCH',
      path: `/api/categories/${at(categoryId)}`,
      body: update,
      ...call,
    });
  }

  /** Refused (409) while the category holds products or subcategories. */
  async delete(categoryId: string, call?: CallOptions): Promise<void> {
    await this.http.request({ method: 'DELETE', path: `/api/categories/${at(categoryId)}`, ...call });
  }
}
