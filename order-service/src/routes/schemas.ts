import { z } from 'zod';
import {
  ORDER_STATUSES,
  PAYMENT_RESULT_STATUSES,
  type OrderStatusUpdate,
  type PaymentResult,
} from '@escalable/shop-sdk';
import { money, paginationQuery, shippingAddress, uuid } from '@escalable/shop-sdk/server';

export const orderId = uuid('order');

export const idempotencyKey = z
  .string({ error: 'is required' })
  .regex(/^[\x21-\x7e]{8,200}$/, 'must be 8 to 200 printable ASCII characters');

export const placeOrderRequest = z.union([
  z.strictObject({ shippingAddress }),
  z.strictObject({ shippingAddressIndex: z.number().int().min(0).max(99) }),
]);

export const cancellation = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });

export const statusUpdate = z
  .strictObject({
    status: z.enum(['processing', 'shipped', 'delivered']),
    carrier: z.string().trim().min(1).max(100).optional(),
    trackingNumber: z.string().trim().min(1).max(100).optional(),
  })
  .refine((update) => update.status !== 'shipped' || (update.carrier && update.trackingNumber), {
    message: 'shipped needs the carrier and the tracking number',
    path: ['trackingNumber'],
  })
  .refine((update) => update.status === 'shipped' || (!update.carrier && !update.trackingNumber), {
    message: 'only shipped takes a carrier and a tracking number',
    path: ['carrier'],
  }) satisfies z.ZodType<OrderStatusUpdate>;

const dateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with an offset' });

export const orderListQuery = z.strictObject({
  ...paginationQuery,
  status: z.enum(ORDER_STATUSES).optional(),
  customerId: uuid('customer').optional(),
  from: dateTime.optional(),
  to: dateTime.optional(),
});

export const paymentResult = z.strictObject({
  orderId,
  paymentId: z.string().min(1).max(64),
  status: z.enum(PAYMENT_RESULT_STATUSES),
  amount: money,
  refunded: money.optional(),
  providerPaymentId: z.string().min(1).max(64),
  occurredAt: z.iso.datetime({ offset: true }),
}) satisfies z.ZodType<PaymentResult>;
