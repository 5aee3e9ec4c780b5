import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Problem, type CatalogImportError, type CatalogImportReport } from '@escalable/shop-sdk';
import type {
  ImportedProductFields,
  NewImportedVariant,
  StoredImportProduct,
  StoredImportVariant,
} from '../db/catalog-import.js';
import type { FieldPath, ImportLine } from './catalog-import-file.js';
import { slugFrom } from './catalog.js';

/** What the catalog holds of the file's categories, products, SKUs and slugs, locked for the import. */
export interface StoredCatalog {
  /** Category slug → id. */
  categories: Map<string, string>;
  /** Id → product, for the products owning any SKU of the file. */
  products: Map<string, StoredImportProduct>;
  /** Upper-case SKU → variant. */
  variants: Map<string, StoredImportVariant>;
  /** Product slug → id, for the slugs the file asks for. */
  slugOwners: Map<string, string>;
}

/** Every write an import makes, decided before the first one. */
export interface ImportPlan {
  newProducts: Array<ImportedProductFields & { currency: string; fromPrice: number }>;
  changedProducts: ImportedProductFields[];
  categoryLinks: Array<{ productId: string; categoryIds: string[] }>;
  newVariants: Array<NewImportedVariant & { stock: number }>;
  changedVariants: Array<Pick<StoredImportVariant, 'id' | 'options' | 'price'>>;
  /** On-hand set by the file on existing variants, as deltas for the ledger. */
  stockChanges: Array<{ variantId: string; deltaOnHand: number }>;
  report: Omit<CatalogImportReport, 'lines'>;
}

type Fault = (line: ImportLine, path: FieldPath, detail: string) => void;

/** The slug a line's product will have when it is new: its own, or one made from its name. */
export function intendedSlug(line: ImportLine): string | undefined {
  if (line.product.slug) return line.product.slug;
  try {
    return slugFrom(line.product.name);
  } catch (error) {
    if (error instanceof Problem) return undefined;
    throw error;
  }
}

/**
 * Decides what each line creates or updates against the stored catalog, and records every fault in
 * `errors` (a line of another product's SKUs, an unknown category, a taken slug, a SKU twice in the
 * file, stock below what is reserved). Nothing here writes; the plan is only used when `errors` stays empty.
 */
export function planImport(
  lines: ImportLine[],
  stored: StoredCatalog,
  errors: CatalogImportError[],
): ImportPlan {
  const fault: Fault = (line, path, detail) => errors.push({ ...line.locate(path), detail });
  const plan: ImportPlan = {
    newProducts: [],
    changedProducts: [],
    categoryLinks: [],
    newVariants: [],
    changedVariants: [],
    stockChanges: [],
    report: { products: { created: 0, updated: 0, unchanged: 0 }, variants: { created: 0, updated: 0 } },
  };
  findRepeatedSkus(lines, fault);
  const slugLines = new Map<string, ImportLine>();
  const productLines = new Map<string, ImportLine>();
  for (const line of lines) {
    const currency = sharedCurrency(line, fault);
    const categoryIds = categoryIdsOf(line, stored, fault);
    const owner = ownerOf(line, stored, fault);
    if (owner === null) continue;
    if (owner) {
      const earlier = productLines.get(owner.id);
      if (earlier)
        fault(line, ['variants'], `updates the same product (${owner.slug}) as line ${earlier.line}`);
      productLines.set(owner.id, line);
    }
    const slug = slugOf(line, owner, stored, slugLines, fault);
    if (!slug) continue;
    if (owner) planUpdate(line, owner, slug, categoryIds, stored, plan, fault);
    else planCreation(line, slug, currency, categoryIds, plan);
  }
  return plan;
}

/** A product is priced in one currency: prices in two could not be compared, sorted or added up. */
function sharedCurrency(line: ImportLine, fault: Fault): string {
  const currency = line.product.variants[0]!.price.currency;
  line.product.variants.forEach((variant, index) => {
    if (variant.price.currency !== currency) {
      fault(
        line,
        ['variants', index, 'price', 'currency'],
        `must be ${currency}, like the product's first variant`,
      );
    }
  });
  return currency;
}

/** The ids of the line's category slugs; an unknown slug is a fault (and an empty id never written). */
function categoryIdsOf(line: ImportLine, stored: StoredCatalog, fault: Fault): string[] | undefined {
  return line.product.categories?.map((slug, index) => {
    const id = stored.categories.get(slug);
    if (!id) fault(line, ['categories', index], `names no category: ${slug}`);
    return id ?? '';
  });
}

/**
 * The stored product the line's existing SKUs belong to; undefined when all its SKUs are new, null (a
 * fault) when they belong to several products.
 */
function ownerOf(
  line: ImportLine,
  stored: StoredCatalog,
  fault: Fault,
): StoredImportProduct | undefined | null {
  const ownerIds = new Set(
    line.product.variants.flatMap(
      (variant) => stored.variants.get(variant.sku.toUpperCase())?.productId ?? [],
    ),
  );
  const owners = [...ownerIds].map((id) => stored.products.get(id)!);
  if (owners.length <= 1) return owners[0];
  const slugs = owners.map((owner) => owner.slug).join(', ');
  fault(
    line,
    ['variants'],
    `holds SKUs of ${owners.length} different products (${slugs}); a line is one product`,
  );
  return null;
}

/** The slug the product will have, if it is free: not another product's, not another line's. */
function slugOf(
  line: ImportLine,
  owner: StoredImportProduct | undefined,
  stored: StoredCatalog,
  slugLines: Map<string, ImportLine>,
  fault: Fault,
): string | undefined {
  const slug = owner ? (line.product.slug ?? owner.slug) : intendedSlug(line);
  if (!slug) {
    fault(line, ['slug'], 'cannot be made from the name; send one');
    return undefined;
  }
  const slugOwner = stored.slugOwners.get(slug);
  if (slugOwner && slugOwner !== owner?.id) fault(line, ['slug'], `${slug} is taken by another product`);
  const earlier = slugLines.get(slug);
  if (earlier) fault(line, ['slug'], `${slug} is also the slug of line ${earlier.line}`);
  slugLines.set(slug, line);
  return slug;
}

function planCreation(
  line: ImportLine,
  slug: string,
  currency: string,
  categoryIds: string[] | undefined,
  plan: ImportPlan,
): void {
  const { product } = line;
  const id = randomUUID();
  plan.newProducts.push({
    id,
    name: product.name,
    slug,
    description: product.description ?? '',
    images: product.images ?? [],
    attributes: product.attributes ?? {},
    status: product.status ?? 'active',
    currency,
    fromPrice: Math.min(...product.variants.map((variant) => variant.price.amount)),
  });
  if (categoryIds?.length) plan.categoryLinks.push({ productId: id, categoryIds });
  product.variants.forEach((variant, position) => {
    plan.newVariants.push({
      id: randomUUID(),
      productId: id,
      sku: variant.sku,
      options: variant.options ?? {},
      price: variant.price.amount,
      currency,
      position,
      stock: variant.stock ?? 0,
    });
  });
  plan.report.products.created += 1;
  plan.report.variants.created += product.variants.length;
}

/** Fields the line leaves out keep their stored values, so re-importing a file changes nothing. */
function planUpdate(
  line: ImportLine,
  owner: StoredImportProduct,
  slug: string,
  categoryIds: string[] | undefined,
  stored: StoredCatalog,
  plan: ImportPlan,
  fault: Fault,
): void {
  const { product } = line;
  const fields: ImportedProductFields = {
    id: owner.id,
    name: product.name,
    slug,
    description: product.description ?? owner.description,
    images: product.images ?? owner.images,
    attributes: product.attributes ?? owner.attributes,
    status: product.status ?? owner.status,
  };
  const {
    currency: _currency,
    categoryIds: storedCategories,
    variantCount,
    activeVariantCount,
    ...storedFields
  } = owner;
  let changed = !isDeepStrictEqual(fields, storedFields);
  if (categoryIds && !isDeepStrictEqual(new Set(categoryIds), new Set(storedCategories))) {
    plan.categoryLinks.push({ productId: owner.id, categoryIds });
    changed = true;
  }
  let position = variantCount;
  let created = 0;
  product.variants.forEach((variant, index) => {
    if (variant.price.currency !== owner.currency) {
      fault(
        line,
        ['variants', index, 'price', 'currency'],
        `must be ${owner.currency}, the currency of the product`,
      );
    }
    const current = stored.variants.get(variant.sku.toUpperCase());
    if (!current) {
      plan.newVariants.push({
        id: randomUUID(),
        productId: owner.id,
        sku: variant.sku,
        options: variant.options ?? {},
        price: variant.price.amount,
        currency: owner.currency,
        position: position++,
        stock: variant.stock ?? 0,
      });
      created += 1;
      return;
    }
    const options = variant.options ?? current.options;
    const offerChanged =
      !isDeepStrictEqual(options, current.options) || variant.price.amount !== current.price;
    if (offerChanged) plan.changedVariants.push({ id: current.id, options, price: variant.price.amount });
    const stockChanged = variant.stock !== undefined && variant.stock !== current.onHand;
    if (stockChanged && variant.stock! < current.reserved) {
      fault(
        line,
        ['variants', index, 'stock'],
        `must be at least ${current.reserved}, the units reserved for orders`,
      );
    } else if (stockChanged) {
      plan.stockChanges.push({ variantId: current.id, deltaOnHand: variant.stock! - current.onHand });
    }
    if (offerChanged || stockChanged) plan.report.variants.updated += 1;
    changed ||= offerChanged || stockChanged;
  });
  if (fields.status !== 'archived' && owner.status === 'archived' && activeVariantCount + created === 0) {
    fault(line, ['status'], 'the product has no active variant to sell; put one back on sale first');
  }
  plan.report.variants.created += created;
  if (changed || created > 0) {
    plan.changedProducts.push(fields);
    plan.report.products.updated += 1;
  } else {
    plan.report.products.unchanged += 1;
  }
}

/** A SKU is one variant: twice in a file (in any letter case) is a fault on its second place. */
function findRepeatedSkus(lines: ImportLine[], fault: Fault): void {
  const firstPlace = new Map<string, { line: ImportLine; index: number }>();
  for (const line of lines) {
    line.product.variants.forEach((variant, index) => {
      const key = variant.sku.toUpperCase();
      const first = firstPlace.get(key);
      if (!first) {
        firstPlace.set(key, { line, index });
        return;
      }
      const where = first.line === line ? `variants[${first.index}] of this line` : `line ${first.line.line}`;
      fault(line, ['variants', index, 'sku'], `${variant.sku} is also on ${where}`);
    });
  }
}
