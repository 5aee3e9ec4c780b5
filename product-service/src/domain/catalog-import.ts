import type { Transaction } from 'sequelize';
import { problems, Problem, type CatalogImportError, type CatalogImportReport } from '@escalable/shop-sdk';
import {
  adjustStockForImport,
  insertProducts,
  insertVariantsWithStock,
  lockCatalogImports,
  lockCategoriesBySlug,
  lockProductsWithSkus,
  lockVariantsWithSkus,
  productsWithSlugs,
  replaceCategoryLinks,
  updateProducts,
  updateVariantOptionsAndPrices,
  variantIdsWithSkus,
} from '../db/catalog-import.js';
import { shareCategoryTree } from '../db/categories.js';
import { Product } from '../db/models.js';
import type { CatalogFile, ImportLine } from './catalog-import-file.js';
import { intendedSlug, planImport, type ImportPlan, type StoredCatalog } from './catalog-import-plan.js';
import { withConstraintProblems } from './constraint-problems.js';
import { releaseLapsedHolds } from './reservation-expiry.js';
import type { Actor } from './stock-adjustments.js';

/** A refusal lists this many faults; `errorCount` tells how many the file has. */
const LISTED_ERRORS = 100;

/**
 * Brings a catalog file into the shop: every line is checked against the catalog first, under locks
 * on what it touches; one fault anywhere and nothing is written (422 naming each line and field).
 * Otherwise the whole file is written in this one transaction, unless it is a dry run.
 */
export async function importCatalog(
  file: CatalogFile,
  options: { dryRun: boolean; actor: Actor },
): Promise<CatalogImportReport> {
  const report = await withConstraintProblems(() =>
    Product.sequelize!.transaction(async (transaction) => {
      const errors = [...file.errors];
      const stored = await lockStoredCatalog(file.products, transaction);
      const plan = planImport(file.products, stored, errors);
      if (errors.length > 0) throw invalidImport(errors);
      if (!options.dryRun) await writeImport(plan, options.actor, transaction);
      return plan.report;
    }),
  );
  return { ...report, lines: file.lines };
}

async function lockStoredCatalog(lines: ImportLine[], transaction: Transaction): Promise<StoredCatalog> {
  const skus = [...new Set(lines.flatMap((line) => line.product.variants.map((v) => v.sku.toUpperCase())))];
  const categorySlugs = [...new Set(lines.flatMap((line) => line.product.categories ?? []))];
  const slugs = [...new Set(lines.flatMap((line) => intendedSlug(line) ?? []))];
  await lockCatalogImports(transaction);
  // Before any category row, as every product write: a category delete holds the tree and then waits
  // for its row, so a row taken first would deadlock with it once the links' triggers ask for the tree.
  await shareCategoryTree(transaction);
  const categories = await lockCategoriesBySlug(categorySlugs, transaction);
  const products = await lockProductsWithSkus(skus, transaction);
  // Stock set below what is reserved is refused; holds past their expiry no longer count.
  await releaseLapsedHolds(await variantIdsWithSkus(skus, transaction), transaction);
  const variants = await lockVariantsWithSkus(skus, transaction);
  const byId = new Map(products.map((product) => [product.id, product]));
  if (variants.some((variant) => !byId.has(variant.productId))) {
    // A product made with one of these SKUs after the products were locked: its lock was not taken.
    throw problems.conflict('catalog-changed', 'The catalog changed during the import; send it again');
  }
  return {
    categories,
    products: byId,
    variants: new Map(variants.map((variant) => [variant.sku.toUpperCase(), variant])),
    slugOwners: await productsWithSlugs(slugs, transaction),
  };
}

async function writeImport(plan: ImportPlan, actor: Actor, transaction: Transaction): Promise<void> {
  await insertProducts(plan.newProducts, transaction);
  await updateProducts(plan.changedProducts, transaction);
  await replaceCategoryLinks(plan.categoryLinks, transaction);
  await insertVariantsWithStock(plan.newVariants, actor, transaction);
  await updateVariantOptionsAndPrices(plan.changedVariants, transaction);
  await adjustStockForImport(plan.stockChanges, actor, transaction);
}

function invalidImport(errors: CatalogImportError[]): Problem {
  const listed = [...errors].sort((a, b) => a.line - b.line).slice(0, LISTED_ERRORS);
  const first = listed[0]!;
  return new Problem({
    status: 422,
    type: 'invalid-import',
    title: 'The import has invalid lines; nothing was written',
    detail: `${errors.length} fault(s); line ${first.line}, ${first.field}: ${first.detail}`,
    extensions: { errors: listed, errorCount: errors.length },
  });
}
