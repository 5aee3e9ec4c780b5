import { Router } from 'express';
import { parseInput, pathParam, requireServiceCaller } from '@escalable/shop-sdk/server';
import { createCheckout } from '../domain/checkout.js';
import type { PaymentDependencies } from '../domain/dependencies.js';
import { readPayment } from '../domain/payment-view.js';
import { refundPayment } from '../domain/refunds.js';
import { checkoutRequest, idempotencyKey, orderId, refundRequest } from './schemas.js';

/** /internal: order-service opens checkouts, asks for refunds and reads payments here; services only. */
export function internalRoutes(serviceSecret: string, deps: PaymentDependencies): Router {
  const router = Router();
  router.use(requireServiceCaller(serviceSecret));

  router.post('/payments', async (req, res) => {
    const key = parseInput(idempotencyKey, req.get('Idempotency-Key'), 'header', 'Idempotency-Key');
    const request = parseInput(checkoutRequest, req.body, 'body');
    res.status(201).json(await createCheckout(request, key, deps));
  });

  router.post('/payments/orders/:orderId/refunds', async (req, res) => {
    const order = pathParam(req, 'orderId', orderId);
    const key = parseInput(idempotencyKey, req.get('Idempotency-Key'), 'header', 'Idempotency-Key');
    const request = parseInput(refundRequest, req.body, 'body');
    res.json(await refundPayment(order, request, key, deps));
  });

  router.get('/payments/orders/:orderId', async (req, res) => {
    res.json(await readPayment(pathParam(req, 'orderId', orderId)));
  });

  return router;
}
