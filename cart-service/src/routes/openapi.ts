import { apiRoutes, openApiDocument, type ApiRoute } from '@escalable/shop-sdk/server';
import { CART_TOKEN, guestToken, itemUpdate, newItem, noBody, variantId } from './cart.js';

const cartToken = {
  [CART_TOKEN]: {
    schema: guestToken,
    description:
      'A guest’s cart: the token the first added item answered with. Customers send a bearer token instead.',
  },
};

/** cart-service's public routes, described with the schemas the routes parse. */
export const CART_API: ApiRoute[] = [
  ...apiRoutes({ tag: 'Cart', access: 'optional-bearer' }, [
    {
      method: 'get',
      path: '/api/cart',
      summary: 'Read the shopper’s cart, priced now',
      headers: cartToken,
      response: { status: 200, description: 'The cart (empty when there is none yet)' },
      problems: [502, 503],
    },
    {
      method: 'post',
      path: '/api/cart/items',
      summary: 'Add a variant to the cart',
      description: `A guest without a cart gets one: 201, with its token in ${CART_TOKEN} and \`cartToken\`.`,
      headers: cartToken,
      body: { schema: newItem, example: { variantId: '0b5e7c1a-3f2d-4e8b-9a6c-1d2e3f4a5b6c', quantity: 2 } },
      response: {
        status: 200,
        description: 'The cart (201 when a guest cart was just created)',
        headers: { [CART_TOKEN]: { description: 'The new guest cart’s token, on 201 only' } },
      },
      problems: [404, 409, 422, 502, 503],
    },
    {
      method: 'patch',
      path: '/api/cart/items/:variantId',
      summary: 'Change a line’s quantity (0 removes it)',
      headers: cartToken,
      params: { variantId },
      body: { schema: itemUpdate, example: { quantity: 3 } },
      response: { status: 200, description: 'The cart' },
      problems: [404, 409, 502, 503],
    },
    {
      method: 'delete',
      path: '/api/cart/items/:variantId',
      summary: 'Remove a line',
      headers: cartToken,
      params: { variantId },
      response: { status: 200, description: 'The cart' },
      problems: [404, 502, 503],
    },
    {
      method: 'delete',
      path: '/api/cart',
      summary: 'Empty the cart',
      headers: cartToken,
      response: { status: 204, description: 'Emptied' },
    },
  ]),
  {
    method: 'post',
    path: '/api/cart/merge',
    tag: 'Cart',
    summary: 'Move a guest cart into the signed-in customer’s',
    access: 'bearer',
    headers: { [CART_TOKEN]: { ...cartToken[CART_TOKEN], required: true } },
    body: { schema: noBody, example: {} },
    response: { status: 200, description: 'The customer’s cart with the guest’s lines added' },
    problems: [404, 502, 503],
  },
];

export const cartApiDocument = openApiDocument(
  {
    title: 'Escalable shop: cart',
    version: '1.0.0',
    description: 'Guest and customer carts (cart-service).',
  },
  CART_API,
);
