import { DatabaseError, UniqueConstraintError } from 'sequelize';
import { problems, type Problem } from '@escalable/shop-sdk';

/**
 * The constraints a client can run into, and what each one means to them. Checking first would leave
 * a race between the check and the write; the database decides instead, and this names its verdict.
 */
const CONFLICTS: Record<string, () => Problem> = {
  categories_slug_unique: () =>
    problems.conflict('duplicate-slug', 'A category with this slug already exists'),
  products_slug_unique: () => problems.conflict('duplicate-slug', 'A product with this slug already exists'),
  variants_sku_unique: () => problems.conflict('duplicate-sku', 'A variant with this SKU already exists'),
  product_categories_category_id_fkey: () =>
    problems.conflict('category-not-empty', 'The category holds products; move or archive them first'),
  categories_parent_id_fkey: () =>
    problems.conflict('category-has-children', 'The category has subcategories; move or delete them first'),
  variants_stock_bounds: () =>
    problems.conflict('insufficient-stock', 'Stock on hand cannot fall below what is reserved'),
};

/**
 * Foreign keys that a write can point past when the row it names goes at the same moment. The writes
 * lock what they point at first (lockCategories), so these should not happen; if one does, the row is
 * gone, which is what the client is told.
 */
const MISSING: Record<string, () => Problem> = {
  product_categories_category_id_fkey: () => problems.notFound('One of the categories'),
};

function problemFor(error: unknown): Problem | undefined {
  if (!(error instanceof UniqueConstraintError || error instanceof DatabaseError)) return undefined;
  const cause = error.parent as { code?: string; constraint?: string; message: string };
  const constraint = cause.constraint ?? '';
  // A foreign key fails either on a write pointing at a missing row or on deleting a row still
  // pointed at; PostgreSQL names the same constraint for both, and only its message tells them apart.
  if (cause.code === '23503' && !cause.message.startsWith('update or delete')) return MISSING[constraint]?.();
  return CONFLICTS[constraint]?.();
}

/** Runs database work, turning a violated constraint that a client caused into its Problem. */
export async function withConstraintProblems<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw problemFor(error) ?? error;
  }
}
