import { Router } from 'express';
import { z } from 'zod';
import { authenticate, parseInput, pathParam, requirePermission } from '@escalable/shop-sdk/server';
import type { TokenVerifier } from '@escalable/shop-sdk/internal';
import {
  categoryBySlug,
  categoryTree,
  createCategory,
  deleteCategory,
  updateCategory,
} from '../domain/categories.js';
import { sendCatalogRead, type CatalogCache } from './catalog-cache.js';
import { categoryId, slug } from './schemas.js';

const categoryFields = {
  name: z.string().trim().min(1).max(100),
  slug,
  parentId: categoryId.nullable(),
};
export const newCategory = z.strictObject({
  ...categoryFields,
  parentId: categoryFields.parentId.optional(),
});
export const categoryUpdate = z
  .strictObject(categoryFields)
  .partial()
  .refine((update) => Object.keys(update).length > 0, 'send at least one field to change');

/** /api/categories: the tree for everyone, and its administration with catalog:write. */
export function categoryRoutes(verify: TokenVerifier, cache: CatalogCache): Router {
  const router = Router();
  const catalogAdmin = [authenticate(verify), requirePermission('catalog:write')];

  // The tree reads the same for everyone, staff included.
  const everyone = { personal: false, maxAgeSeconds: cache.maxAgeSeconds };

  router.get('/', async (_req, res) => {
    sendCatalogRead(res, await categoryTree(), everyone);
  });

  router.get('/:slug', async (req, res) => {
    sendCatalogRead(res, await categoryBySlug(pathParam(req, 'slug', slug)), everyone);
  });

  router.post('/', ...catalogAdmin, async (req, res) => {
    const category = await createCategory(parseInput(newCategory, req.body, 'body'));
    res.status(201).location(`/api/categories/${category.slug}`).json(category);
  });

  router.patch('/:id', ...catalogAdmin, async (req, res) => {
    const id = pathParam(req, 'id', categoryId);
    res.json(await updateCategory(id, parseInput(categoryUpdate, req.body, 'body')));
  });

  router.delete('/:id', ...catalogAdmin, async (req, res) => {
    await deleteCategory(pathParam(req, 'id', categoryId));
    res.status(204).end();
  });

  return router;
}
