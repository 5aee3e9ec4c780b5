import { Router } from 'express';
import { z } from 'zod';
import {
  authenticate,
  paginationQuery,
  parseInput,
  pathParam,
  requirePermission,
} from '@escalable/shop-sdk/server';
import type { TokenVerifier } from '@escalable/shop-sdk/internal';
import { adjustStock, stockLedger } from '../domain/stock-adjustments.js';
import { userActor } from './access.js';
import { productId, variantId } from './schemas.js';

export const stockAdjustment = z.strictObject({
  delta: z
    .number()
    .int('must be a whole number')
    .min(-1_000_000)
    .max(1_000_000)
    .refine((delta) => delta !== 0, 'must not be zero'),
  note: z.string().trim().min(1).max(500).optional(),
});
export const ledgerQuery = z.strictObject(paginationQuery);

/** /api/products/:id/variants/:variantId/stock-*: stock corrections and the ledger, with inventory:write. */
export function stockRoutes(verify: TokenVerifier): Router {
  const router = Router();
  const inventoryAdmin = [authenticate(verify), requirePermission('inventory:write')];

  router.post('/:id/variants/:variantId/stock-adjustments', ...inventoryAdmin, async (req, res) => {
    const id = pathParam(req, 'id', productId);
    const variant = pathParam(req, 'variantId', variantId);
    res.json(await adjustStock(id, variant, parseInput(stockAdjustment, req.body, 'body'), userActor(req)));
  });

  router.get('/:id/variants/:variantId/stock-movements', ...inventoryAdmin, async (req, res) => {
    const id = pathParam(req, 'id', productId);
    const variant = pathParam(req, 'variantId', variantId);
    res.json(await stockLedger(id, variant, parseInput(ledgerQuery, req.query, 'query')));
  });

  return router;
}
