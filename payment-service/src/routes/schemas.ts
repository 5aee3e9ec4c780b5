import { z } from 'zod';
import { INTEGER_MAX, currencyCode, money, uuid } from '@escalable/shop-sdk/server';

export const idempotencyKey = z
  .string({ error: 'is required' })
  .regex(/^[\x21-\x7e]{8,200}$/, 'must be 8 to 200 printable ASCII characters');

export const orderId = uuid('order');

/** A positive amount: a checkout or refund of nothing is a mistake. */
const positiveMoney = z.strictObject({
  amount: z.number().int('must be an integer number of minor units').min(1).max(INTEGER_MAX),
  currency: currencyCode,
});

export const checkoutRequest = z.strictObject({
  orderId,
  customerId: uuid('customer'),
  amount: positiveMoney,
  items: z
    .array(
      z.strictObject({
        // Room for a product name (200) with its SKU (64), as order-service writes the title.
        title: z.string().trim().min(1).max(300),
        quantity: z.number().int().min(1).max(10_000),
        unitPrice: money,
      }),
    )
    .min(1)
    // A cart's line limit.
    .max(100),
  payer: z.strictObject({
    email: z.email().max(254),
    name: z.string().trim().min(1).max(100).optional(),
  }),
  expiresAt: z.iso.datetime({ offset: true }),
});

export const refundRequest = z.strictObject({
  amount: positiveMoney.optional(),
  reason: z.string().trim().min(1).max(500),
});
