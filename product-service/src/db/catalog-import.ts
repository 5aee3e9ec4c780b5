import { QueryTypes, type Transaction } from 'sequelize';
import type { ProductAttributes, ProductStatus, VariantOptions } from '@escalable/shop-sdk';
import { Product } from './models.js';
import { lockingTheirLists } from './stock-ledger.js';

/**
 * The queries of a catalog import. Each reads or writes every row of the file in one statement, with
 * the rows sent as one jsonb array or as parallel arrays, so 10 000 products cost a handful of round
 * trips rather than tens of thousands. SKUs are compared in upper case, as their unique index does.
 */

const sequelize = () => Product.sequelize!;

/** The product columns an import writes. */
export interface ImportedProductFields {
  id: string;
  name: string;
  slug: string;
  description: string;
  images: string[];
  attributes: ProductAttributes;
  status: ProductStatus;
}

export interface StoredImportProduct extends ImportedProductFields {
  currency: string;
  categoryIds: string[];
  variantCount: number;
  activeVariantCount: number;
}

export interface StoredImportVariant {
  id: string;
  productId: string;
  sku: string;
  options: VariantOptions;
  price: number;
  onHand: number;
  reserved: number;
}

export interface NewImportedVariant {
  id: string;
  productId: string;
  sku: string;
  options: VariantOptions;
  price: number;
  currency: string;
  position: number;
}

/**
 * Makes imports wait for each other until the transaction ends. Each statement of an import reads the
 * catalog as last committed, so one running alongside another saw its products in some reads and not in
 * others (a refusal naming "taken" slugs, or a conflict); one after the other, the second finds the
 * first's products and updates them by SKU like any later import.
 */
export async function lockCatalogImports(transaction: Transaction): Promise<void> {
  await sequelize().query("SELECT pg_advisory_xact_lock(hashtext('catalog-import'))", { transaction });
}

/** Holds the categories with these slugs FOR KEY SHARE (none can be deleted under a link); slug → id. */
export async function lockCategoriesBySlug(
  slugs: string[],
  transaction: Transaction,
): Promise<Map<string, string>> {
  const rows = await sequelize().query<{ id: string; slug: string }>(
    `SELECT id, slug FROM categories WHERE slug = ANY($slugs::text[]) ORDER BY id FOR KEY SHARE`,
    { bind: { slugs }, type: QueryTypes.SELECT, transaction },
  );
  return new Map(rows.map((row) => [row.slug, row.id]));
}

/** Locks, in id order, the products that own any of these SKUs, and reads what an update compares. */
export async function lockProductsWithSkus(
  skus: string[],
  transaction: Transaction,
): Promise<StoredImportProduct[]> {
  return sequelize().query<StoredImportProduct>(
    `SELECT p.id, p.name, p.slug, p.description, p.images, p.attributes, p.status, p.currency,
            ARRAY(SELECT pc.category_id::text FROM product_categories pc WHERE pc.product_id = p.id) AS "categoryIds",
            (SELECT count(*)::int FROM variants v WHERE v.product_id = p.id) AS "variantCount",
            (SELECT count(*)::int FROM variants v WHERE v.product_id = p.id AND v.status = 'active') AS "activeVariantCount"
     FROM products p
     WHERE p.id IN (SELECT v.product_id FROM variants v WHERE upper(v.sku) = ANY($skus::text[]))
     ORDER BY p.id
     FOR UPDATE OF p`,
    { bind: { skus }, type: QueryTypes.SELECT, transaction },
  );
}

export async function variantIdsWithSkus(skus: string[], transaction: Transaction): Promise<string[]> {
  const rows = await sequelize().query<{ id: string }>(
    `SELECT id FROM variants WHERE upper(sku) = ANY($skus::text[])`,
    { bind: { skus }, type: QueryTypes.SELECT, transaction },
  );
  return rows.map((row) => row.id);
}

/**
 * Locks, in id order, the variants with these SKUs (after their products, as every catalog write does),
 * then their products' variant lists, which the import's several statements rewrite.
 */
export async function lockVariantsWithSkus(
  skus: string[],
  transaction: Transaction,
): Promise<StoredImportVariant[]> {
  return sequelize().query<StoredImportVariant>(
    lockingTheirLists(
      `SELECT v.id, v.product_id AS "productId", v.sku, v.options, v.price, v.on_hand AS "onHand", v.reserved
       FROM variants v
       WHERE upper(v.sku) = ANY($skus::text[])
       ORDER BY v.id
       FOR UPDATE`,
      '"productId"',
    ),
    { bind: { skus }, type: QueryTypes.SELECT, transaction },
  );
}

/** Which of these slugs products already have: slug → product id. */
export async function productsWithSlugs(
  slugs: string[],
  transaction: Transaction,
): Promise<Map<string, string>> {
  const rows = await sequelize().query<{ id: string; slug: string }>(
    `SELECT id, slug FROM products WHERE slug = ANY($slugs::text[])`,
    { bind: { slugs }, type: QueryTypes.SELECT, transaction },
  );
  return new Map(rows.map((row) => [row.slug, row.id]));
}

/**
 * New products with `fromPrice`, the lowest price of their variants (all active), already set: the
 * variants trigger that keeps it then finds nothing to change, rather than rewriting every new row.
 */
export async function insertProducts(
  products: Array<ImportedProductFields & { currency: string; fromPrice: number }>,
  transaction: Transaction,
): Promise<void> {
  if (products.length === 0) return;
  await sequelize().query(
    `INSERT INTO products (id, name, slug, description, images, attributes, status, currency, from_price)
     SELECT r.id, r.name, r.slug, r.description, r.images, r.attributes, r.status, r.currency, r."fromPrice"
     FROM jsonb_to_recordset($rows::jsonb) AS r (
       id uuid, name text, slug text, description text, images jsonb, attributes jsonb, status text,
       currency text, "fromPrice" integer)`,
    { bind: { rows: JSON.stringify(products) }, transaction },
  );
}

export async function updateProducts(
  products: ImportedProductFields[],
  transaction: Transaction,
): Promise<void> {
  if (products.length === 0) return;
  await sequelize().query(
    `UPDATE products p
     SET name = r.name, slug = r.slug, description = r.description, images = r.images,
         attributes = r.attributes, status = r.status, updated_at = now()
     FROM jsonb_to_recordset($rows::jsonb) AS r (
       id uuid, name text, slug text, description text, images jsonb, attributes jsonb, status text)
     WHERE p.id = r.id`,
    { bind: { rows: JSON.stringify(products) }, transaction },
  );
}

/** Makes each product's categories exactly the ones given. */
export async function replaceCategoryLinks(
  links: Array<{ productId: string; categoryIds: string[] }>,
  transaction: Transaction,
): Promise<void> {
  if (links.length === 0) return;
  await sequelize().query(`DELETE FROM product_categories WHERE product_id = ANY($ids::uuid[])`, {
    bind: { ids: links.map((link) => link.productId) },
    transaction,
  });
  const pairs = links.flatMap((link) => link.categoryIds.map((categoryId) => [link.productId, categoryId]));
  if (pairs.length === 0) return;
  await sequelize().query(
    `INSERT INTO product_categories (product_id, category_id)
     SELECT * FROM unnest($productIds::uuid[], $categoryIds::uuid[])`,
    {
      bind: { productIds: pairs.map((pair) => pair[0]), categoryIds: pairs.map((pair) => pair[1]) },
      transaction,
    },
  );
}

/**
 * New variants, active, with their first stock on hand and its `initial` ledger line written by the
 * same statement, so the ledger sums to the stock without a second pass over every row.
 */
export async function insertVariantsWithStock(
  variants: Array<NewImportedVariant & { stock: number }>,
  actor: string,
  transaction: Transaction,
): Promise<void> {
  if (variants.length === 0) return;
  await sequelize().query(
    `WITH inserted AS (
       INSERT INTO variants (id, product_id, sku, options, price, currency, status, position, on_hand)
       SELECT r.id, r."productId", r.sku, r.options, r.price, r.currency, 'active', r.position, r.stock
       FROM jsonb_to_recordset($rows::jsonb) AS r (
         id uuid, "productId" uuid, sku text, options jsonb, price integer, currency text, position smallint,
         stock integer)
       RETURNING id, on_hand)
     INSERT INTO stock_movements (variant_id, reason, delta_on_hand, delta_reserved, actor)
     SELECT id, 'initial', on_hand, 0, $actor FROM inserted WHERE on_hand > 0`,
    { bind: { rows: JSON.stringify(variants), actor }, transaction },
  );
}

/**
 * Moves the on-hand of locked variants by these deltas, each with its `adjustment` ledger line noted
 * `import`, in one statement.
 */
export async function adjustStockForImport(
  changes: Array<{ variantId: string; deltaOnHand: number }>,
  actor: string,
  transaction: Transaction,
): Promise<void> {
  if (changes.length === 0) return;
  await sequelize().query(
    `WITH changed AS (
       UPDATE variants v SET on_hand = v.on_hand + c.delta, updated_at = now()
       FROM unnest($ids::uuid[], $deltas::int[]) AS c (id, delta)
       WHERE v.id = c.id
       RETURNING v.id, c.delta)
     INSERT INTO stock_movements (variant_id, reason, delta_on_hand, delta_reserved, actor, note)
     SELECT id, 'adjustment', delta, 0, $actor, 'import' FROM changed`,
    {
      bind: {
        ids: changes.map((change) => change.variantId),
        deltas: changes.map((change) => change.deltaOnHand),
        actor,
      },
      transaction,
    },
  );
}

export async function updateVariantOptionsAndPrices(
  variants: Array<{ id: string; options: VariantOptions; price: number }>,
  transaction: Transaction,
): Promise<void> {
  if (variants.length === 0) return;
  await sequelize().query(
    `UPDATE variants v SET options = r.options, price = r.price, updated_at = now()
     FROM jsonb_to_recordset($rows::jsonb) AS r (id uuid, options jsonb, price integer)
     WHERE v.id = r.id`,
    { bind: { rows: JSON.stringify(variants) }, transaction },
  );
}
