import { randomUUID } from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import type {
  DeliveryStatus,
  NotificationChannel,
  NotificationLocale,
  NotificationType,
} from '@escalable/shop-sdk';
import { wakeAfterCommit } from '@escalable/shop-sdk/server';
import { Delivery, Notification, type BareAddress } from './models.js';

/** A notification as the domain reads it. */
export interface StoredNotification {
  id: string;
  requestHash: string;
  type: NotificationType;
  userId: string | null;
  address: BareAddress | null;
  data: Record<string, unknown>;
  locale: NotificationLocale | null;
  createdAt: Date;
}

export interface NewNotification extends Omit<StoredNotification, 'id' | 'createdAt'> {
  idempotencyKey: string;
  caller: string;
  channels: NotificationChannel[];
}

/** A delivery row as the domain reads it. */
export interface StoredDelivery {
  id: string;
  notificationId: string;
  channel: NotificationChannel;
  status: DeliveryStatus;
  recipient: string | null;
  attempts: number;
  lastError: string | null;
  providerId: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const sequelize = () => Notification.sequelize!;

export function inTransaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
  return sequelize().transaction(work);
}

function toStoredNotification(row: Notification): StoredNotification {
  return {
    id: row.id,
    requestHash: row.requestHash,
    type: row.type,
    userId: row.userId,
    address: row.address,
    data: row.data,
    locale: row.locale,
    createdAt: row.createdAt,
  };
}

export function toStoredDelivery(row: Delivery): StoredDelivery {
  return {
    id: row.id,
    notificationId: row.notificationId,
    channel: row.channel,
    status: row.status,
    recipient: row.recipient,
    attempts: row.attempts,
    lastError: row.lastError,
    providerId: row.providerId,
    nextAttemptAt: row.nextAttemptAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * Inserts the notification unless its idempotency key is taken; answers its id, or undefined when the
 * key was there. A concurrent insert of the same key waits for the other transaction and then does
 * nothing, so of twenty racing requests exactly one stores.
 */
export async function insertNotificationOnce(
  notification: NewNotification,
  transaction: Transaction,
): Promise<string | undefined> {
  const rows = await sequelize().query<{ id: string }>(
    `INSERT INTO notifications
       (id, idempotency_key, request_hash, caller, type, user_id, address, channels, data, locale)
     VALUES ($id, $idempotencyKey, $requestHash, $caller, $type, $userId, $address, $channels, $data, $locale)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id`,
    {
      bind: {
        id: randomUUID(),
        idempotencyKey: notification.idempotencyKey,
        requestHash: notification.requestHash,
        caller: notification.caller,
        type: notification.type,
        userId: notification.userId,
        address: notification.address === null ? null : JSON.stringify(notification.address),
        channels: notification.channels,
        data: JSON.stringify(notification.data),
        locale: notification.locale,
      },
      type: QueryTypes.SELECT,
      transaction,
    },
  );
  return rows[0]?.id;
}

export async function notificationByKey(
  idempotencyKey: string,
  transaction?: Transaction,
): Promise<StoredNotification | undefined> {
  const row = await Notification.findOne({ where: { idempotencyKey }, transaction });
  return row ? toStoredNotification(row) : undefined;
}

/** A pending delivery is due at once; a skipped one records why. */
export async function insertDeliveries(
  notificationId: string,
  deliveries: {
    channel: NotificationChannel;
    status: 'pending' | 'skipped';
    recipient?: string;
    lastError?: string;
  }[],
  transaction: Transaction,
): Promise<void> {
  const now = new Date();
  await Delivery.bulkCreate(
    deliveries.map((delivery) => ({
      id: randomUUID(),
      notificationId,
      channel: delivery.channel,
      status: delivery.status,
      recipient: delivery.recipient ?? null,
      lastError: delivery.lastError ?? null,
      nextAttemptAt: delivery.status === 'pending' ? now : null,
    })),
    { transaction },
  );
  // The worker of this instance sends them once they are committed, not at its next tick.
  if (deliveries.some((delivery) => delivery.status === 'pending'))
    wakeAfterCommit(transaction, Delivery.tableName);
}

/** The deliveries of some notifications, email before sms. */
export async function deliveriesOf(notificationIds: string[], transaction?: Transaction) {
  const rows = await Delivery.findAll({
    where: { notificationId: notificationIds },
    order: [
      ['channel', 'ASC'],
      ['id', 'ASC'],
    ],
    transaction,
  });
  return rows.map(toStoredDelivery);
}

/** A user's notifications, newest first, and how many there are. */
export async function notificationsOfUser(
  userId: string,
  page: { limit: number; offset: number },
): Promise<{ rows: StoredNotification[]; total: number }> {
  const { rows, count } = await Notification.findAndCountAll({
    where: { userId },
    order: [
      ['createdAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: page.limit,
    offset: page.offset,
  });
  return { rows: rows.map(toStoredNotification), total: count };
}
