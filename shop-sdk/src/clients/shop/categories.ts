import type { HttpClient } from '../../http/client.js';
import type {
  Category,
  CategoryDetail,
  CategoryNode,
  CategoryUpdate,
  NewCategory,
} from '../../contracts/products.js';

/** /api/categories: the category tree, and its administration (catalog:write). */
export class CategoriesApi {
  constructor(private readonly http: HttpClient) {}

  tree(): Promise<CategoryNode[]> {
    return this.http.get<CategoryNode[]>('/api/categories');
  }

  get(slug: string): Promise<CategoryDetail> {
    return this.http.get<CategoryDetail>(`/api/categories/${encodeURIComponent(slug)}`);
  }

  create(category: NewCategory): Promise<Category> {
    return this.http.post<Category>('/api/categories', category);
  }

  update(categoryId: string, update: CategoryUpdate): Promise<Category> {
    return this.http.patch<Category>(`/api/categories/${encodeURIComponent(categoryId)}`, update);
  }

  /** Refused (409) while the category holds products or subcategories. */
  async delete(categoryId: string): Promise<void> {
    await this.http.delete(`/api/categories/${encodeURIComponent(categoryId)}`);
  }
}
