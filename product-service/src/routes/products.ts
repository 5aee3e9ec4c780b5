import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  assertPermission,
  authenticate,
  authenticateOptional,
  INTEGER_MAX,
  money,
  paginationQuery,
  optionalClaimsOf,
  parseInput,
  pathParam,
  queryWholeNumber,
  requirePermission,
} from '@escalable/shop-sdk/server';
import type { TokenVerifier } from '@escalable/shop-sdk/internal';
import {
  addVariant,
  archiveProduct,
  createProduct,
  findProduct,
  updateProduct,
  updateVariant,
} from '../domain/catalog.js';
import { listProducts, type ListingPlanners } from '../domain/product-listing.js';
import { webSearchText } from '../domain/product-search.js';
import { userActor, viewerOf } from './access.js';
import { sendCatalogRead, type CatalogCache } from './catalog-cache.js';
import {
  categoryIds,
  idOrSlug,
  name,
  productId,
  sku,
  slug,
  stock,
  variantId,
  variantOptions,
} from './schemas.js';

export const productStatus = z.enum(['draft', 'active', 'archived']);
export const productKey = idOrSlug('must be an id (UUID) or a slug');
export const productListQuery = z
  .strictObject({
    ...paginationQuery,
    category: idOrSlug('must be a category slug or id').optional(),
    q: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine((q) => webSearchText(q) !== '', 'must contain a word to search for (letters or digits)')
      .optional(),
    minPrice: queryWholeNumber(INTEGER_MAX).optional(),
    maxPrice: queryWholeNumber(INTEGER_MAX).optional(),
    inStock: z.stringbool().optional(),
    sort: z.enum(['newest', 'price', '-price', 'name', '-name', 'relevance']).optional(),
    status: productStatus.optional(),
    after: z.string().min(1).max(4_000).optional(),
  })
  .refine((query) => query.after === undefined || query.offset === 0, {
    message: 'must not be combined with after: a cursor already says where the page starts',
    path: ['offset'],
  })
  .refine(
    (query) =>
      query.minPrice === undefined || query.maxPrice === undefined || query.minPrice <= query.maxPrice,
    {
      message: 'must not exceed maxPrice',
      path: ['minPrice'],
    },
  )
  .refine((query) => query.sort !== 'relevance' || query.q !== undefined, {
    message: 'relevance needs a search (q)',
    path: ['sort'],
  });

const productFields = {
  name,
  slug,
  description: z.string().trim().max(10_000),
  images: z.array(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2_000)).max(20),
  attributes: z
    .record(z.string().trim().min(1).max(50), z.union([z.string().max(500), z.number(), z.boolean()]))
    .refine((attributes) => Object.keys(attributes).length <= 50, 'at most 50 attributes'),
  categoryIds,
};
export const newVariant = z.strictObject({
  sku,
  options: variantOptions.optional(),
  price: money,
  stock: stock.optional(),
});
export const newProduct = z.strictObject({
  ...productFields,
  slug: slug.optional(),
  description: productFields.description.optional(),
  images: productFields.images.optional(),
  attributes: productFields.attributes.optional(),
  categoryIds: productFields.categoryIds.optional(),
  status: z.enum(['draft', 'active']).optional(),
  variants: z.array(newVariant).min(1).max(100),
});
export const productUpdate = z
  .strictObject({ ...productFields, status: productStatus })
  .partial()
  .refine((update) => Object.keys(update).length > 0, 'send at least one field to change');
export const variantUpdate = z
  .strictObject({ sku, options: variantOptions, price: money, status: z.enum(['active', 'archived']) })
  .partial()
  .refine((update) => Object.keys(update).length > 0, 'send at least one field to change');

/** Only what any visitor would see may be kept by shared caches. */
const audienceOf = (req: Request, cache: CatalogCache) => ({
  personal: optionalClaimsOf(req) !== undefined,
  maxAgeSeconds: cache.maxAgeSeconds,
});

/** /api/products: the catalog for everyone, and its administration with catalog:write. */
export function productRoutes(verify: TokenVerifier, cache: CatalogCache, listing: ListingPlanners): Router {
  const router = Router();
  // Public routes read a token when one is sent, so staff see drafts and stock; a bad token is still 401.
  const identify = authenticateOptional(verify);
  const catalogAdmin = [authenticate(verify), requirePermission('catalog:write')];

  router.get('/', identify, async (req, res) => {
    const query = parseInput(productListQuery, req.query, 'query');
    // Everyone else sees what is on sale; other statuses are for the people who manage the catalog.
    if (query.status) assertPermission(optionalClaimsOf(req), 'catalog:write');
    sendCatalogRead(res, await listProducts(query, viewerOf(req), listing), audienceOf(req, cache));
  });

  router.get('/:idOrSlug', identify, async (req, res) => {
    const product = await findProduct(pathParam(req, 'idOrSlug', productKey), viewerOf(req));
    sendCatalogRead(res, product, audienceOf(req, cache));
  });

  router.post('/', ...catalogAdmin, async (req, res) => {
    const product = await createProduct(parseInput(newProduct, req.body, 'body'), userActor(req));
    res.status(201).location(`/api/products/${product.id}`).json(product);
  });

  router.patch('/:id', ...catalogAdmin, async (req, res) => {
    const id = pathParam(req, 'id', productId);
    res.json(await updateProduct(id, parseInput(productUpdate, req.body, 'body')));
  });

  router.post('/:id/archive', ...catalogAdmin, async (req, res) => {
    res.json(await archiveProduct(pathParam(req, 'id', productId)));
  });

  router.post('/:id/variants', ...catalogAdmin, async (req, res) => {
    const id = pathParam(req, 'id', productId);
    const variant = await addVariant(id, parseInput(newVariant, req.body, 'body'), userActor(req));
    res.status(201).location(`/api/products/${id}/variants/${variant.id}`).json(variant);
  });

  router.patch('/:id/variants/:variantId', ...catalogAdmin, async (req, res) => {
    const id = pathParam(req, 'id', productId);
    const variant = pathParam(req, 'variantId', variantId);
    res.json(await updateVariant(id, variant, parseInput(variantUpdate, req.body, 'body')));
  });

  return router;
}
