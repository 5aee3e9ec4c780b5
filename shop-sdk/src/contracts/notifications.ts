import type { Money } from './common.js';

/** The events the shop tells its customers about; each has its own template and template data. */
export const NOTIFICATION_TYPES = [
  'welcome',
  'password-changed',
  'order-placed',
  'payment-approved',
  'payment-rejected',
  'order-shipped',
  'order-delivered',
  'order-cancelled',
  'order-refunded',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const NOTIFICATION_CHANNELS = ['email', 'sms'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export const NOTIFICATION_LOCALES = ['es', 'en'] as const;
export type NotificationLocale = (typeof NOTIFICATION_LOCALES)[number];

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'delivered', 'failed', 'skipped'] as const;
/**
 * `pending`: waiting for its (next) attempt. `sending`: an instance holds it right now. `sent`: the
 * provider accepted it. `delivered`: the provider reported it reached the recipient (SMS). `failed`:
 * refused for good, or out of attempts. `skipped`: the channel has no address (SMS without a phone).
 */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A user of the shop (their contact is read from user-service when sending), or a bare address. */
export type NotificationRecipient = { userId: string } | { email?: string; phone?: string; name?: string };

export interface NotificationRequest {
  type: NotificationType;
  recipient: NotificationRecipient;
  /** SMS is recorded as `skipped` when the recipient has no phone. */
  channels: NotificationChannel[];
  /** Per-type template data (see {@link NotificationData}); a missing field is a 400. */
  data: Record<string, unknown>;
  /** Default: the user's profile locale, else 'es' (es-AR formatting). */
  locale?: NotificationLocale;
}

/**
 * Names an order in a message: `orderNumber` (what the customer sees on the order, e.g. `A-1042`)
 * when given, else `orderId`.
 */
export interface OrderReference {
  orderId: string;
  orderNumber?: string;
}

/** The template data each type needs; a missing field is a 400, an unknown one too. */
export interface NotificationData {
  welcome: { name: string };
  /** `changedAt`: ISO 8601 date-time with an offset. */
  'password-changed': { name: string; changedAt: string };
  'order-placed': OrderReference & { total: Money; items: { name: string; quantity: number }[] };
  'payment-approved': OrderReference & { amount: Money };
  'payment-rejected': OrderReference & { reason?: string };
  'order-shipped': OrderReference & { carrier: string; trackingNumber: string };
  'order-delivered': OrderReference;
  'order-cancelled': OrderReference & { reason?: string };
  'order-refunded': OrderReference & { amount: Money };
}

export interface DeliverySummary {
  id: string;
  channel: NotificationChannel;
  status: DeliveryStatus;
}

/**
 * The answer to `POST /internal/notifications` (202). A repeat with the same Idempotency-Key and the
 * same body answers the same; the same key with another body is a 422.
 */
export interface NotificationAccepted {
  id: string;
  type: NotificationType;
  deliveries: DeliverySummary[];
}

/** One delivery as the signed-in user's history and the admin log show it. */
export interface Delivery extends DeliverySummary {
  notificationId: string;
  type: NotificationType;
  /** The e-mail address or phone number it went to; null until the contact was read. */
  recipient: string | null;
  attempts: number;
  /** Why it failed or was skipped, or the last temporary failure. */
  lastError: string | null;
  /** The provider's id: the e-mail Message-ID or the Twilio message SID. */
  providerId: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A notification in the signed-in user's history (`GET /api/notifications`). */
export interface NotificationHistoryItem {
  id: string;
  type: NotificationType;
  locale: NotificationLocale | null;
  createdAt: string;
  deliveries: Omit<Delivery, 'notificationId' | 'type'>[];
}

/** Filters of the admin delivery log (`GET /api/notifications/deliveries`). */
export interface DeliveryListQuery {
  limit?: number;
  offset?: number;
  status?: DeliveryStatus;
  channel?: NotificationChannel;
  type?: NotificationType;
  /** An e-mail address, phone number or user id. */
  recipient?: string;
}
