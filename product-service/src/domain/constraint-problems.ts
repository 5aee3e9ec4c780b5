import { problems } from '@escalable/shop-sdk';
import { constraintProblems } from '@escalable/shop-sdk/server';

/**
 * Runs database work, turning a violated constraint that a client caused into its Problem. Checking
 * first would leave a race between the check and the write; the database decides instead.
 */
export const withConstraintProblems = constraintProblems({
  conflicts: {
    categories_slug_unique: () =>
      problems.conflict('duplicate-slug', 'A category with this slug already exists'),
    products_slug_unique: () =>
      problems.conflict('duplicate-slug', 'A product with this slug already exists'),
    variants_sku_unique: () => problems.conflict('duplicate-sku', 'A variant with this SKU already exists'),
    product_categories_category_id_fkey: () =>
      problems.conflict('category-not-empty', 'The category holds products; move or archive them first'),
    categories_parent_id_fkey: () =>
      problems.conflict('category-has-children', 'The category has subcategories; move or delete them first'),
    variants_stock_bounds: () =>
      problems.conflict('insufficient-stock', 'Stock on hand cannot fall below what is reserved'),
  },
  // The writes lock the categories they point at first (lockCategories), so this should not happen; if
  // one goes at the same moment anyway, it is gone, which is what the client is told.
  missing: {
    product_categories_category_id_fkey: () => problems.notFound('One of the categories'),
  },
});
