import { Router } from 'express';
import { z } from 'zod';
import {
  CATALOG_IMPORT_MEDIA_TYPES,
  problems,
  type CatalogImportFormat,
  type CatalogImportProduct,
} from '@escalable/shop-sdk';
import { authenticate, parseInput, requirePermission, type TextBodyRoute } from '@escalable/shop-sdk/server';
import type { TokenVerifier } from '@escalable/shop-sdk/internal';
import { readCatalogFile } from '../domain/catalog-import-file.js';
import { importCatalog } from '../domain/catalog-import.js';
import { userActor } from './access.js';
import { newProduct, productStatus } from './products.js';
import { slug } from './schemas.js';

/** The one route whose body is a file: 10 000 products with three variants each take about 5 MB of NDJSON. */
export const catalogImportBody: TextBodyRoute = {
  path: '/api/products/import',
  types: Object.values(CATALOG_IMPORT_MEDIA_TYPES),
  limit: '16mb',
};

/** One product of the file: POST /api/products's fields, with categories by slug and any status. */
const importedProduct: z.ZodType<CatalogImportProduct> = newProduct
  .omit({ categoryIds: true, status: true })
  .extend({
    status: productStatus.optional(),
    categories: z
      .array(slug)
      .max(20)
      .refine((slugs) => new Set(slugs).size === slugs.length, 'must not repeat a category')
      .optional(),
  });

export const importQuery = z.strictObject({ dryRun: z.stringbool().default(false) });

/** POST /api/products/import: the catalog in bulk, as NDJSON or CSV (catalog:write). */
export function catalogImportRoutes(verify: TokenVerifier): Router {
  const router = Router();

  router.post('/import', authenticate(verify), requirePermission('catalog:write'), async (req, res) => {
    const { dryRun } = parseInput(importQuery, req.query, 'query');
    const text = bodyText(req.body);
    const format: CatalogImportFormat = req.is(CATALOG_IMPORT_MEDIA_TYPES.csv) ? 'csv' : 'ndjson';
    const file = readCatalogFile(text, format, importedProduct);
    res.json(await importCatalog(file, { dryRun, actor: userActor(req) }));
  });

  return router;
}

/** The kit reads the file as text only when it comes as one of the import's media types. */
function bodyText(body: unknown): string {
  if (typeof body !== 'string') {
    throw problems.unsupportedMediaType(
      `Send the catalog as ${Object.values(CATALOG_IMPORT_MEDIA_TYPES).join(' or ')}`,
    );
  }
  return body;
}
