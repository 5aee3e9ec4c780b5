import type { Category as CategoryView } from '@escalable/shop-sdk';
import type { Category } from '../db/models.js';

/**
 * Who is reading: staff also see drafts, and stock figures beyond `available` (`productViewsText` in
 * db/products.ts writes the views themselves).
 */
export interface Viewer {
  seesDrafts: boolean;
  seesStock: boolean;
}

export const PUBLIC_VIEWER: Viewer = { seesDrafts: false, seesStock: false };
export const STAFF_VIEWER: Viewer = { seesDrafts: true, seesStock: true };

export function toCategoryView(category: Category): CategoryView {
  return { id: category.id, name: category.name, slug: category.slug, parentId: category.parentId };
}
