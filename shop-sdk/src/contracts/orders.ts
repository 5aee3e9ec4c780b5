import type { Money, Page } from './common.js';
import type { VariantOptions } from './products.js';
import type { ShippingAddress } from './users.js';

export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'processing',
  'shipped',
  'delivered',
  'cancelled',
  'payment_failed',
  'refunded',
  'failed',
] as const;
/**
 * `pending_payment`: stock is held and the checkout waits for the buyer. `failed`: the checkout could
 * not be completed (nothing stays reserved). `cancelled` after a payment waits for its refund, then
 * becomes `refunded`. `delivered`, `payment_failed`, `refunded` and `failed` are final.
 */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The statuses staff move an order to (`PATCH /api/orders/:id/status`). */
export const FULFILMENT_STATUSES = ['processing', 'shipped', 'delivered'] as const;
export type FulfilmentStatus = (typeof FULFILMENT_STATUSES)[number];

/** A line as it was bought: the catalog's name, SKU, options and price at checkout. */
export interface OrderLine {
  variantId: string;
  productId: string;
  productName: string;
  sku: string;
  options: VariantOptions;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
}

/** One transition: `from` is null for the order's creation; `actor` is a user id or a service name. */
export interface OrderStatusChange {
  from: OrderStatus | null;
  to: OrderStatus;
  at: string;
  actor: string;
  reason: string | null;
}

/** An order as listings show it. */
export interface OrderSummary {
  id: string;
  customerId: string;
  status: OrderStatus;
  total: Money;
  itemCount: number;
  createdAt: string;
  updatedAt: string;
}

/** `GET /api/orders/:id`: the order with its lines and its history (oldest first). */
export interface Order extends OrderSummary {
  lines: OrderLine[];
  shippingAddress: ShippingAddress;
  /** MercadoPago's checkout page while the order waits for payment; null once it cannot be paid. */
  checkoutUrl: string | null;
  /** When the held stock and the checkout expire (pending_payment). */
  expiresAt: string;
  /** Why the order is in its status, when a person or service said (cancellation, refund, failure). */
  statusReason: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  history: OrderStatusChange[];
}

/**
 * `POST /api/orders` (header Idempotency-Key, required): a shipping address, or the index of one saved on
 * the customer's profile. The same key and body answer the same order; the same key with another body
 * is a 422. An empty cart, a cart with issues and stock short are 409s naming the lines; a service the
 * checkout needs being down is a 503, with nothing reserved or written.
 */
export type PlaceOrderRequest = { shippingAddress: ShippingAddress } | { shippingAddressIndex: number };

/** The answer to a checkout (201): the order, and where the buyer pays. */
export interface PlacedOrder extends Order {
  checkoutUrl: string;
}

/** `PATCH /api/orders/:id/status` (orders:manage): `shipped` needs the carrier and tracking number. */
export interface OrderStatusUpdate {
  status: FulfilmentStatus;
  carrier?: string;
  trackingNumber?: string;
}

/**
 * `GET /api/orders`: the signed-in customer's own orders, newest first; with orders:read-all, every
 * customer's, filtered by `customerId` and the creation dates `from` / `to` (ISO 8601) too.
 */
export interface OrderListQuery {
  limit?: number;
  offset?: number;
  status?: OrderStatus;
  customerId?: string;
  from?: string;
  to?: string;
}

export type OrderPage = Page<OrderSummary>;

/** `POST /api/orders/:id/cancel`: an optional reason kept in the history. */
export interface OrderCancellation {
  reason?: string;
}
