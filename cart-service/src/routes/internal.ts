import { Router } from 'express';
import { z } from 'zod';
import { parseInput, pathParam, requireServiceCaller, uuid } from '@escalable/shop-sdk/server';
import type { CartDependencies } from '../domain/catalog.js';
import { convertCart } from '../domain/cart-conversion.js';
import { readCheckoutCart } from '../domain/cart-view.js';

/** Order ids come from order-service; any short opaque token is accepted (as product-service does). */
const orderId = z.string().regex(/^[A-Za-z0-9][\w.:-]{0,63}$/, 'must be 1-64 letters, digits, _ . : or -');
const conversion = z.strictObject({ orderId });

/** /internal: checkout's view of a customer's cart, and closing it once it is an order; services only. */
export function internalRoutes(serviceSecret: string, deps: CartDependencies): Router {
  const router = Router();
  router.use(requireServiceCaller(serviceSecret));

  router.get('/carts/customers/:customerId', async (req, res) => {
    res.json(await readCheckoutCart(pathParam(req, 'customerId', uuid('customer')), deps));
  });

  router.post('/carts/:cartId/convert', async (req, res) => {
    const cartId = pathParam(req, 'cartId', uuid('cart'));
    const { orderId } = parseInput(conversion, req.body, 'body');
    res.json(await convertCart(cartId, orderId));
  });

  return router;
}
