import { randomUUID } from 'node:crypto';
import type { Transaction } from 'sequelize';
import {
  problems,
  type Category as CategoryView,
  type CategoryDetail,
  type CategoryNode,
  type CategoryUpdate,
  type NewCategory,
} from '@escalable/shop-sdk';
import { isWithinSubtree, lockCategoryRows, lockCategoryTree, shareCategoryTree } from '../db/categories.js';
import { Category, ProductCategory } from '../db/models.js';
import type { CategoryKey } from '../db/product-listing.js';
import { toCategoryView } from './catalog-view.js';
import { withConstraintProblems } from './constraint-problems.js';
import { isUuid } from './values.js';

/** The whole tree, each level sorted by name. A shop has tens of categories, so it is built in memory. */
export async function categoryTree(): Promise<CategoryNode[]> {
  return buildTree(await Category.findAll({ order: [['name', 'ASC']] }), null);
}

export async function categoryBySlug(slug: string): Promise<CategoryDetail> {
  const all = await Category.findAll({ order: [['name', 'ASC']] });
  const category = all.find((candidate) => candidate.slug === slug);
  if (!category) throw problems.notFound(`The category "${slug}"`);
  const byId = new Map(all.map((candidate) => [candidate.id, candidate]));
  const ancestors: CategoryView[] = [];
  for (let parent = byId.get(category.parentId ?? ''); parent; parent = byId.get(parent.parentId ?? '')) {
    ancestors.unshift(toCategoryView(parent));
  }
  return { ...toCategoryView(category), children: buildTree(all, category.id), ancestors };
}

/** A category named by slug or id, for the listing filter (which takes in its subcategories). */
export function categoryKey(slugOrId: string): CategoryKey {
  return isUuid(slugOrId) ? { id: slugOrId } : { slug: slugOrId };
}

export async function createCategory(input: NewCategory): Promise<CategoryView> {
  const category = await withConstraintProblems(() =>
    Category.sequelize!.transaction(async (transaction) => {
      await lockCategoryTree(transaction);
      if (input.parentId) await findCategory(input.parentId, transaction, 'The parent category');
      return Category.create(
        { id: randomUUID(), name: input.name, slug: input.slug, parentId: input.parentId ?? null },
        { transaction },
      );
    }),
  );
  return toCategoryView(category);
}

export async function updateCategory(categoryId: string, update: CategoryUpdate): Promise<CategoryView> {
  const category = await withConstraintProblems(() =>
    Category.sequelize!.transaction(async (transaction) => {
      await lockCategoryTree(transaction);
      const category = await findCategory(categoryId, transaction);
      if (update.parentId) {
        await findCategory(update.parentId, transaction, 'The parent category');
        if (await isWithinSubtree(update.parentId, categoryId, transaction)) {
          throw problems.conflict(
            'category-cycle',
            'A category cannot move below itself or its subcategories',
          );
        }
      }
      category.set(update);
      category.changed('updatedAt', true);
      return category.save({ transaction });
    }),
  );
  return toCategoryView(category);
}

/** Only an empty leaf can go: products and subcategories must be moved first, never orphaned. */
export async function deleteCategory(categoryId: string): Promise<void> {
  await withConstraintProblems(() =>
    Category.sequelize!.transaction(async (transaction) => {
      await lockCategoryTree(transaction);
      const category = await findCategory(categoryId, transaction);
      const products = await ProductCategory.count({ where: { categoryId }, transaction });
      if (products > 0) {
        throw problems.conflict(
          'category-not-empty',
          `The category holds ${products} product(s); move or archive them first`,
          { products },
        );
      }
      if ((await Category.count({ where: { parentId: categoryId }, transaction })) > 0) {
        throw problems.conflict(
          'category-has-children',
          'The category has subcategories; move or delete them first',
        );
      }
      await category.destroy({ transaction });
    }),
  );
}

/**
 * For a product write: holds the categories it links to until the transaction ends, so none can be
 * deleted under the link, or throws a 404 Problem when one is not a category.
 */
export async function lockCategories(ids: string[], transaction: Transaction): Promise<void> {
  if (ids.length === 0) return;
  await shareCategoryTree(transaction);
  const found = await lockCategoryRows(ids, transaction);
  if (found.length !== new Set(ids).size) throw problems.notFound('One of the categories');
}

async function findCategory(id: string, transaction: Transaction, what = 'The category'): Promise<Category> {
  const category = await Category.findByPk(id, { transaction });
  if (!category) throw problems.notFound(what);
  return category;
}

function buildTree(all: Category[], parentId: string | null): CategoryNode[] {
  return all
    .filter((category) => category.parentId === parentId)
    .map((category) => ({ ...toCategoryView(category), children: buildTree(all, category.id) }));
}
