import type { Delivery, NotificationHistoryItem, Page } from '@escalable/shop-sdk';
import { listDeliveries, type DeliveryFilter, type LoggedDelivery } from '../db/deliveries.js';
import { deliveriesOf, notificationsOfUser, type StoredDelivery } from '../db/notifications.js';

type PageRequest = { limit: number; offset: number };

function deliveryFields(row: StoredDelivery) {
  return {
    id: row.id,
    channel: row.channel,
    status: row.status,
    recipient: row.recipient,
    attempts: row.attempts,
    lastError: row.lastError,
    providerId: row.providerId,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function deliveryView(row: LoggedDelivery): Delivery {
  return { ...deliveryFields(row), notificationId: row.notificationId, type: row.type };
}

/** What the signed-in user was sent, newest first, each notification with its deliveries. */
export async function notificationHistory(
  userId: string,
  page: PageRequest,
): Promise<Page<NotificationHistoryItem>> {
  const { rows, total } = await notificationsOfUser(userId, page);
  const deliveries = await deliveriesOf(rows.map((row) => row.id));
  const items = rows.map((row) => ({
    id: row.id,
    type: row.type,
    locale: row.locale,
    createdAt: row.createdAt.toISOString(),
    deliveries: deliveries.filter((delivery) => delivery.notificationId === row.id).map(deliveryFields),
  }));
  return { items, total, ...page };
}

/** The delivery log for staff, newest first, filtered. */
export async function deliveryLog(filter: DeliveryFilter, page: PageRequest): Promise<Page<Delivery>> {
  const { rows, total } = await listDeliveries(filter, page);
  return { items: rows.map(deliveryView), total, ...page };
}
