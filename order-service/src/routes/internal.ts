import { Router } from 'express';
import { problems } from '@escalable/shop-sdk';
import { parseInput, pathParam, requireServiceCaller } from '@escalable/shop-sdk/server';
import type { OrderDependencies } from '../domain/dependencies.js';
import { applyPaymentResult } from '../domain/payment-results.js';
import { orderId, paymentResult } from './schemas.js';

/** /internal: payment-service reports each payment's result here; services only. */
export function internalRoutes(serviceSecret: string, deps: OrderDependencies): Router {
  const router = Router();
  router.use(requireServiceCaller(serviceSecret));

  router.post('/orders/:orderId/payment-result', async (req, res) => {
    const id = pathParam(req, 'orderId', orderId);
    const result = parseInput(paymentResult, req.body, 'body');
    if (result.orderId !== id)
      throw problems.validation([{ name: 'orderId', in: 'body', reason: 'must be the order of the path' }]);
    res.json(await applyPaymentResult(result, deps));
  });

  return router;
}
