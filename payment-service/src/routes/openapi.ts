import { openApiDocument, type ApiRoute } from '@escalable/shop-sdk/server';
import { WEBHOOK_PATH } from './payments.js';
import { orderId } from './schemas.js';

/** payment-service's public routes, described with the schemas the routes parse. */
export const PAYMENT_API: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/payments/orders/:orderId',
    tag: 'Payments',
    summary: 'An order’s payment, for its customer or staff',
    access: 'bearer',
    params: { orderId },
    response: { status: 200, description: 'The payment with its refunds' },
    problems: [403, 404],
  },
  {
    method: 'post',
    path: `/api/payments${WEBHOOK_PATH}`,
    tag: 'Provider callbacks',
    summary: 'MercadoPago’s payment notifications',
    description:
      'Posted by MercadoPago and signed with x-signature; answered at once, the payment is then read ' +
      'from MercadoPago. Not for apps.',
    access: 'public',
    response: { status: 200, description: 'Received' },
    problems: [400, 401],
  },
];

export const paymentApiDocument = openApiDocument(
  {
    title: 'Escalable shop: payments',
    version: '1.0.0',
    description: 'Payments through MercadoPago (payment-service).',
  },
  PAYMENT_API,
);
