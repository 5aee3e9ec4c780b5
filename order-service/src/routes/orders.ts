import { Router } from 'express';
import type { TokenVerifier } from '@escalable/shop-sdk/internal';
import { authenticate, claimsOf, parseInput, pathParam, requirePermission } from '@escalable/shop-sdk/server';
import { placeOrder } from '../domain/checkout.js';
import type { OrderDependencies } from '../domain/dependencies.js';
import { cancelOrder, updateFulfilment } from '../domain/order-lifecycle.js';
import { listOrdersAs, readOrderAs } from '../domain/order-view.js';
import {
  cancellation,
  idempotencyKey,
  orderId,
  orderListQuery,
  placeOrderRequest,
  statusUpdate,
} from './schemas.js';

/** /api/orders: checkout, the customer's orders, and staff's view and fulfilment. */
export function orderRoutes(verify: TokenVerifier, deps: OrderDependencies): Router {
  const router = Router();
  router.use(authenticate(verify), (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.post('/', async (req, res) => {
    const request = parseInput(placeOrderRequest, req.body, 'body');
    const key = parseInput(idempotencyKey, req.get('Idempotency-Key'), 'header', 'Idempotency-Key');
    const accessToken = req.get('authorization')!.replace(/^Bearer\s+/i, '');
    const answer = await placeOrder({ claims: claimsOf(req), accessToken }, key, request, deps);
    res.status(answer.status).json(answer.body);
  });

  router.get('/', async (req, res) => {
    res.json(await listOrdersAs(parseInput(orderListQuery, req.query, 'query'), claimsOf(req)));
  });

  router.get('/:id', async (req, res) => {
    res.json(await readOrderAs(pathParam(req, 'id', orderId), claimsOf(req)));
  });

  router.post('/:id/cancel', async (req, res) => {
    const id = pathParam(req, 'id', orderId);
    const { reason } = parseInput(cancellation, req.body ?? {}, 'body');
    res.json(await cancelOrder(id, reason, claimsOf(req)));
  });

  router.patch('/:id/status', requirePermission('orders:manage'), async (req, res) => {
    const id = pathParam(req, 'id', orderId);
    res.json(await updateFulfilment(id, parseInput(statusUpdate, req.body, 'body'), claimsOf(req)));
  });

  return router;
}
