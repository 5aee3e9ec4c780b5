import { z } from 'zod';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_LOCALES,
  NOTIFICATION_TYPES,
  DELIVERY_STATUSES,
  type NotificationData,
  type NotificationType,
} from '@escalable/shop-sdk';
import { money, paginationQuery, phoneNumber, uuid } from '@escalable/shop-sdk/server';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const name = text(100);
/** Order ids come from order-service; any short opaque token is accepted, as cart-service does. */
const orderReference = {
  orderId: z.string().regex(/^[A-Za-z0-9][\w.:-]{0,63}$/, 'must be 1-64 letters, digits, _ . : or -'),
  orderNumber: text(40).optional(),
};
const item = z.strictObject({ name: text(200), quantity: z.number().int().min(1).max(9_999) });

/** The template data of each type; a missing field is a 400 naming it (`data.total`). */
const DATA_SCHEMAS = {
  welcome: z.strictObject({ name }),
  'password-changed': z.strictObject({
    name,
    changedAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }),
  }),
  'order-placed': z.strictObject({ ...orderReference, total: money, items: z.array(item).min(1).max(100) }),
  'payment-approved': z.strictObject({ ...orderReference, amount: money }),
  'payment-rejected': z.strictObject({ ...orderReference, reason: text(300).optional() }),
  'order-shipped': z.strictObject({ ...orderReference, carrier: text(100), trackingNumber: text(100) }),
  'order-delivered': z.strictObject(orderReference),
  'order-cancelled': z.strictObject({ ...orderReference, reason: text(300).optional() }),
  'order-refunded': z.strictObject({ ...orderReference, amount: money }),
} satisfies { [T in NotificationType]: z.ZodType<NotificationData[T]> };

const recipient = z
  .strictObject({
    userId: uuid('user').optional(),
    email: z.email('must be an e-mail address').max(254).optional(),
    phone: phoneNumber.optional(),
    name: name.optional(),
  })
  .superRefine((given, context) => {
    if (given.userId !== undefined && (given.email ?? given.phone ?? given.name) !== undefined)
      context.addIssue({
        code: 'custom',
        path: ['userId'],
        message: 'goes alone: the contact is read from the user',
      });
    if (given.userId === undefined && given.email === undefined && given.phone === undefined)
      context.addIssue({ code: 'custom', message: 'must give a userId, an email or a phone' });
  });

const channels = z
  .array(z.enum(NOTIFICATION_CHANNELS))
  .min(1)
  .refine((list) => new Set(list).size === list.length, 'must not repeat a channel');

/**
 * The body of POST /internal/notifications. The data is checked against its type's schema, and its
 * issues are named under `data` (`body.data.total: Invalid input`).
 */
export const notificationRequest = z
  .strictObject({
    type: z.enum(NOTIFICATION_TYPES),
    recipient,
    channels,
    data: z.record(z.string(), z.unknown()),
    locale: z.enum(NOTIFICATION_LOCALES).optional(),
  })
  .transform((request, context) => {
    const data = DATA_SCHEMAS[request.type].safeParse(request.data);
    if (!data.success) {
      for (const issue of data.error.issues)
        context.addIssue(
          issue.code === 'unrecognized_keys'
            ? {
                code: 'custom',
                path: ['data', ...issue.path, issue.keys.join(',')],
                message: 'is not an accepted field',
              }
            : { code: 'custom', path: ['data', ...issue.path], message: issue.message },
        );
      return z.NEVER;
    }
    if (
      request.channels.includes('email') &&
      request.recipient.userId === undefined &&
      !request.recipient.email
    ) {
      context.addIssue({
        code: 'custom',
        path: ['recipient', 'email'],
        message: 'is required for the email channel',
      });
      return z.NEVER;
    }
    return { ...request, data: data.data as Record<string, unknown> };
  });

export const idempotencyKey = z
  .string({ error: 'is required: send an Idempotency-Key of 1-200 characters' })
  .min(1)
  .max(200);

export const historyQuery = z.strictObject(paginationQuery);

export const deliveryLogQuery = z.strictObject({
  ...paginationQuery,
  status: z.enum(DELIVERY_STATUSES).optional(),
  channel: z.enum(NOTIFICATION_CHANNELS).optional(),
  type: z.enum(NOTIFICATION_TYPES).optional(),
  recipient: z.string().trim().min(1).max(320).optional(),
});

export const noBody = z.strictObject({}).optional();
