import { createHash } from 'node:crypto';
import {
  Problem,
  type NotificationAccepted,
  type NotificationChannel,
  type NotificationLocale,
  type NotificationRecipient,
  type NotificationType,
} from '@escalable/shop-sdk';
import type { Transaction } from 'sequelize';
import {
  deliveriesOf,
  inTransaction,
  insertDeliveries,
  insertNotificationOnce,
  notificationByKey,
} from '../db/notifications.js';

/** A request as the route parsed it: per-type data checked, recipient and channels consistent. */
export interface NotificationOrder {
  type: NotificationType;
  recipient: NotificationRecipient;
  channels: NotificationChannel[];
  data: Record<string, unknown>;
  locale?: NotificationLocale;
}

/**
 * Stores a notification and one delivery per channel, to be sent by the worker; answers what was
 * stored. The Idempotency-Key makes it safe to repeat: the same key and request answer the stored
 * notification and send nothing new, the same key with another request is a 422.
 */
export async function acceptNotification(
  order: NotificationOrder,
  idempotencyKey: string,
  caller: string,
): Promise<NotificationAccepted> {
  // Parsed requests list their fields in the schema's order, so the same request hashes the same
  // whatever order the caller wrote it in.
  const requestHash = createHash('sha256').update(JSON.stringify(order)).digest('hex');
  return inTransaction(async (transaction) => {
    const userId = 'userId' in order.recipient ? order.recipient.userId : null;
    const id = await insertNotificationOnce(
      {
        idempotencyKey,
        requestHash,
        caller,
        type: order.type,
        userId,
        address: 'userId' in order.recipient ? null : order.recipient,
        channels: order.channels,
        data: order.data,
        locale: order.locale ?? null,
      },
      transaction,
    );
    if (id !== undefined) {
      await insertDeliveries(
        id,
        order.channels.map((channel) => plannedDelivery(order.recipient, channel)),
        transaction,
      );
      return acceptedView(id, order.type, transaction);
    }
    const stored = (await notificationByKey(idempotencyKey, transaction))!;
    if (stored.requestHash !== requestHash)
      throw new Problem({
        status: 422,
        type: 'idempotency-key-reused',
        title: 'The Idempotency-Key was used for another request',
        detail:
          'This Idempotency-Key was already used with a different body; use a new key for a new notification',
        extensions: { notificationId: stored.id },
      });
    return acceptedView(stored.id, stored.type, transaction);
  });
}

/**
 * A bare address is known now, so its delivery names it from the start (the log finds it while
 * pending) and SMS without a phone is skipped at once; a user's contact is only read when sending.
 */
function plannedDelivery(recipient: NotificationRecipient, channel: NotificationChannel) {
  if ('userId' in recipient) return { channel, status: 'pending' as const };
  const address = channel === 'email' ? recipient.email : recipient.phone;
  if (!address) return { channel, status: 'skipped' as const, lastError: 'the recipient has no phone' };
  return { channel, status: 'pending' as const, recipient: address };
}

async function acceptedView(
  id: string,
  type: NotificationType,
  transaction: Transaction,
): Promise<NotificationAccepted> {
  const deliveries = await deliveriesOf([id], transaction);
  return {
    id,
    type,
    deliveries: deliveries.map(({ id, channel, status }) => ({ id, channel, status })),
  };
}
