import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { TokenVerifier } from '@escalable/shop-sdk/internal';
import {
  authenticateOptional,
  claimsOf,
  optionalClaimsOf,
  parseInput,
  pathParam,
  uuid,
} from '@escalable/shop-sdk/server';
import type { CartDependencies } from '../domain/catalog.js';
import { addCartItem, changeCartItemQuantity, emptyCart, removeCartItem } from '../domain/cart-items.js';
import { mergeGuestCart } from '../domain/cart-merge.js';
import type { CartOwner } from '../domain/cart-owner.js';
import { readCart } from '../domain/cart-view.js';

export const CART_TOKEN = 'X-Cart-Token';
export const variantId = uuid('variant');
const quantity = (min: number) => z.number().int('must be a whole number').min(min).max(99);
export const newItem = z.strictObject({ variantId, quantity: quantity(1) });
export const itemUpdate = z.strictObject({ quantity: quantity(0) });
export const noBody = z.strictObject({}).optional();
export const guestToken = z.string({ error: `send the guest cart's token in ${CART_TOKEN}` });

/** The signed-in customer, else the guest whose token came (if any). */
function ownerOf(req: Request): CartOwner {
  const claims = optionalClaimsOf(req);
  return claims ? { customerId: claims.sub } : { guestToken: req.get(CART_TOKEN) };
}

/** /api/cart: the shopper's own cart. There are no cart ids here: the credentials say whose cart. */
export function cartRoutes(verify: TokenVerifier, deps: CartDependencies): Router {
  const router = Router();
  router.use(authenticateOptional(verify), (_req: Request, res: Response, next) => {
    // Carts are personal and a guest's answer may carry its token: no cache keeps them.
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/', async (req, res) => {
    res.json(await readCart(ownerOf(req), deps));
  });

  router.post('/items', async (req, res) => {
    const item = parseInput(newItem, req.body, 'body');
    const { cart, issuedToken } = await addCartItem(ownerOf(req), item, deps);
    if (issuedToken === undefined) {
      res.json(cart);
      return;
    }
    res
      .status(201)
      .set(CART_TOKEN, issuedToken)
      .json({ ...cart, cartToken: issuedToken });
  });

  router.patch('/items/:variantId', async (req, res) => {
    const variant = pathParam(req, 'variantId', variantId);
    const update = parseInput(itemUpdate, req.body, 'body');
    res.json(await changeCartItemQuantity(ownerOf(req), variant, update.quantity, deps));
  });

  router.delete('/items/:variantId', async (req, res) => {
    res.json(await removeCartItem(ownerOf(req), pathParam(req, 'variantId', variantId), deps));
  });

  router.delete('/', async (req, res) => {
    await emptyCart(ownerOf(req));
    res.status(204).end();
  });

  router.post('/merge', async (req, res) => {
    // claimsOf answers 401 to a guest: a merge needs both credentials.
    const customerId = claimsOf(req).sub;
    parseInput(noBody, req.body, 'body');
    const token = parseInput(guestToken, req.get(CART_TOKEN), 'header', CART_TOKEN);
    res.json(await mergeGuestCart(customerId, token, deps));
  });

  return router;
}
