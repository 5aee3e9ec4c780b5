import { apiRoutes, openApiDocument, type ApiRoute } from '@escalable/shop-sdk/server';
import {
  cancellation,
  idempotencyKey,
  orderId,
  orderListQuery,
  placeOrderRequest,
  statusUpdate,
} from './schemas.js';

/** order-service's public routes, described with the schemas the routes parse. */
export const ORDER_API: ApiRoute[] = [
  ...apiRoutes({ tag: 'Orders', access: 'bearer' }, [
    {
      method: 'post',
      path: '/api/orders',
      summary: 'Check out the cart: place an order and get its payment link',
      description:
        'Repeating a request with the same Idempotency-Key answers with the first one’s order instead of placing another.',
      headers: {
        'Idempotency-Key': {
          schema: idempotencyKey,
          required: true,
          description: 'A value of the client’s choosing, new for each checkout it means to place',
        },
      },
      body: { schema: placeOrderRequest, example: { shippingAddressIndex: 0 } },
      response: { status: 201, description: 'The order, with `checkoutUrl` to pay it' },
      problems: [409, 422, 429, 502, 503, 504],
    },
    {
      method: 'get',
      path: '/api/orders',
      summary: 'List orders: the customer’s own, or any with orders:manage',
      query: orderListQuery,
      response: { status: 200, description: 'A page of orders, newest first' },
      problems: [403],
    },
    {
      method: 'get',
      path: '/api/orders/:id',
      summary: 'Read an order',
      params: { id: orderId },
      response: { status: 200, description: 'The order' },
      problems: [404],
    },
    {
      method: 'post',
      path: '/api/orders/:id/cancel',
      summary: 'Cancel an order that has not shipped',
      params: { id: orderId },
      body: { schema: cancellation, example: { reason: 'Me equivoqué de talle' } },
      response: { status: 200, description: 'The cancelled order' },
      problems: [404, 409, 502, 503],
    },
  ]),
  {
    method: 'patch',
    path: '/api/orders/:id/status',
    tag: 'Fulfilment',
    summary: 'Move a paid order along: processing, shipped, delivered (orders:manage)',
    access: 'bearer',
    params: { id: orderId },
    body: {
      schema: statusUpdate,
      example: { status: 'shipped', carrier: 'Correo Argentino', trackingNumber: 'CA123456789AR' },
    },
    response: { status: 200, description: 'The order' },
    problems: [403, 404, 409],
  },
];

export const orderApiDocument = openApiDocument(
  {
    title: 'Escalable shop: orders',
    version: '1.0.0',
    description: 'Checkout, order history, cancellation and fulfilment (order-service).',
  },
  ORDER_API,
);
