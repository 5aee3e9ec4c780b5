import { randomUUID } from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import {
  problems,
  type NewProduct,
  type NewVariant,
  type Product as ProductView,
  type ProductUpdate,
  type Variant as VariantView,
  type VariantUpdate,
} from '@escalable/shop-sdk';
import { Product, ProductCategory, Variant } from '../db/models.js';
import { findProductView, findVariantView } from '../db/products.js';
import { lockCategories } from './categories.js';
import { STAFF_VIEWER, type Viewer } from './catalog-view.js';
import { withConstraintProblems } from './constraint-problems.js';
import { receiveInitialStock, type Actor } from './stock-adjustments.js';
import { isUuid } from './values.js';

/**
 * A product by id or slug. Drafts are for staff only; archived products stay readable, since old
 * orders link to them.
 */
export async function findProduct(idOrSlug: string, viewer: Viewer): Promise<ProductView> {
  const product = await findProductView(isUuid(idOrSlug) ? 'id' : 'slug', idOrSlug, {
    stock: viewer.seesStock,
  });
  if (!product || (product.status === 'draft' && !viewer.seesDrafts)) throw problems.notFound('The product');
  return product;
}

/** Creates a product with its variants, their first stock and its categories, all at once or not at all. */
export async function createProduct(input: NewProduct, actor: Actor): Promise<ProductView> {
  const currency = sharedCurrency(input.variants);
  const productId = randomUUID();
  await withConstraintProblems(() =>
    Product.sequelize!.transaction(async (transaction) => {
      const categoryIds = input.categoryIds ?? [];
      await lockCategories(categoryIds, transaction);
      await Product.create(
        {
          id: productId,
          name: input.name,
          slug: input.slug ?? slugFrom(input.name),
          description: input.description ?? '',
          images: input.images ?? [],
          attributes: input.attributes ?? {},
          status: input.status ?? 'draft',
          currency,
        },
        { transaction },
      );
      await ProductCategory.bulkCreate(
        categoryIds.map((categoryId) => ({ productId, categoryId })),
        { transaction },
      );
      await createVariants(productId, currency, input.variants, 0, actor, transaction);
    }),
  );
  return findProduct(productId, STAFF_VIEWER);
}

export async function updateProduct(productId: string, update: ProductUpdate): Promise<ProductView> {
  await withConstraintProblems(() =>
    Product.sequelize!.transaction(async (transaction) => {
      const product = await lockProduct(productId, transaction);
      const { categoryIds, ...fields } = update;
      if (product.status === 'archived' && fields.status && fields.status !== 'archived') {
        await assertHasActiveVariant(productId, transaction);
      }
      if (categoryIds) {
        await lockCategories(categoryIds, transaction);
        await ProductCategory.destroy({ where: { productId }, transaction });
        await ProductCategory.bulkCreate(
          categoryIds.map((categoryId) => ({ productId, categoryId })),
          { transaction },
        );
      }
      product.set(fields);
      product.changed('updatedAt', true);
      await product.save({ transaction });
    }),
  );
  return findProduct(productId, STAFF_VIEWER);
}

/** Takes a product out of listings and off sale; it stays readable by id for the orders that hold it. */
export function archiveProduct(productId: string): Promise<ProductView> {
  return updateProduct(productId, { status: 'archived' });
}

export async function addVariant(productId: string, input: NewVariant, actor: Actor): Promise<VariantView> {
  const variantId = await withConstraintProblems(() =>
    Product.sequelize!.transaction(async (transaction) => {
      // The product lock also serialises the position count of concurrent additions.
      const product = await lockProduct(productId, transaction);
      assertCurrency(product, input.price.currency);
      const position = await Variant.count({ where: { productId }, transaction });
      const [id] = await createVariants(productId, product.currency, [input], position, actor, transaction);
      return id!;
    }),
  );
  return (await findVariantView(variantId))!;
}

/** Changes a variant's SKU, options, price or status; its stock changes only through adjustments. */
export async function updateVariant(
  productId: string,
  variantId: string,
  update: VariantUpdate,
): Promise<VariantView> {
  const variant = await withConstraintProblems(() =>
    Product.sequelize!.transaction(async (transaction) => {
      const product = await lockProduct(productId, transaction);
      const variant = await Variant.findOne({ where: { id: variantId, productId }, transaction });
      if (!variant) throw problems.notFound('The variant');
      if (update.price) assertCurrency(product, update.price.currency);
      if (update.status === 'archived' && variant.status === 'active' && product.status !== 'archived') {
        const others = await Variant.count({
          where: { productId, status: 'active', id: { [Op.ne]: variantId } },
          transaction,
        });
        if (others === 0) {
          throw problems.conflict(
            'last-variant',
            'A product on sale or in draft keeps at least one active variant',
          );
        }
      }
      const { price, ...fields } = update;
      variant.set({ ...fields, ...(price ? { price: price.amount } : {}) });
      variant.changed('updatedAt', true);
      await variant.save({ transaction });
      return (await findVariantView(variantId, transaction))!;
    }),
  );
  return variant;
}

async function createVariants(
  productId: string,
  currency: string,
  inputs: NewVariant[],
  firstPosition: number,
  actor: Actor,
  transaction: Transaction,
): Promise<string[]> {
  const variants = inputs.map((input, index) => ({
    id: randomUUID(),
    productId,
    sku: input.sku,
    options: input.options ?? {},
    price: input.price.amount,
    currency,
    status: 'active' as const,
    position: firstPosition + index,
  }));
  await Variant.bulkCreate(variants, { transaction });
  await receiveInitialStock(
    variants.map((variant, index) => ({ variantId: variant.id, quantity: inputs[index]!.stock ?? 0 })),
    actor,
    transaction,
  );
  return variants.map((variant) => variant.id);
}

/**
 * A product leaves `archived` only with a variant to sell: archived products may lose their last active
 * variant, and going back on sale without one would list a product nobody can buy.
 */
async function assertHasActiveVariant(productId: string, transaction: Transaction): Promise<void> {
  // The product row is locked, and variant status changes lock it too, so this count holds until commit.
  if ((await Variant.count({ where: { productId, status: 'active' }, transaction })) === 0) {
    throw problems.conflict(
      'no-active-variant',
      'The product has no active variant; put one back on sale (status active) before the product',
    );
  }
}

async function lockProduct(productId: string, transaction: Transaction): Promise<Product> {
  const product = await Product.findByPk(productId, { lock: transaction.LOCK.UPDATE, transaction });
  if (!product) throw problems.notFound('The product');
  return product;
}

/** A product is priced in one currency: prices in two could not be compared, sorted or added up. */
function sharedCurrency(variants: NewVariant[]): string {
  const currencies = [...new Set(variants.map((variant) => variant.price.currency))];
  if (currencies.length > 1) {
    throw problems.validation([
      {
        in: 'body',
        name: 'variants',
        reason: `all variants must share one currency, not ${currencies.join(' and ')}`,
      },
    ]);
  }
  return currencies[0]!;
}

function assertCurrency(product: Product, currency: string): void {
  if (currency !== product.currency) {
    throw problems.validation([
      {
        in: 'body',
        name: 'price.currency',
        reason: `must be ${product.currency}, the currency of the product`,
      },
    ]);
  }
}

/** "Camiseta Básica 2" → "camiseta-basica-2". */
export function slugFrom(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 120)
    .replace(/^-+|-+$/g, '');
  // A name that is a UUID would make a slug read as an id, never found.
  if (!slug || isUuid(slug))
    throw problems.validation([
      { in: 'body', name: 'slug', reason: 'cannot be made from the name; send one' },
    ]);
  return slug;
}
