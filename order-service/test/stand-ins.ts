import { randomUUID } from 'node:crypto';
import {
  type CheckoutCart,
  type CheckoutRequest,
  type NotificationRequest,
  type PaymentCheckout,
  type Reservation,
  type ReservationRequest,
  type ShippingAddress,
} from '@escalable/shop-sdk';
import { answerProblem, startInternalStandIn } from '@escalable/shop-sdk/testing';

/** cart-service as checkout sees it: each customer's priced cart, and conversions (CheckoutCart contract). */
export async function startCartStandIn(serviceSecret: string) {
  const carts = new Map<string, CheckoutCart>();
  /** Set by a test: carts answered one per request before `carts`, as for a customer filling a new cart each time. */
  const cartQueues = new Map<string, CheckoutCart[]>();
  const conversions = new Map<string, string>();
  const standIn = await startInternalStandIn(serviceSecret, (app) => {
    app.get('/internal/carts/customers/:customerId', (req, res) => {
      const { customerId } = req.params;
      res.json(
        cartQueues.get(customerId)?.shift() ??
          carts.get(customerId) ?? {
            id: null,
            customerId,
            currency: null,
            lines: [],
            itemCount: 0,
            subtotal: null,
            pricing: 'live',
            updatedAt: null,
          },
      );
    });
    app.post('/internal/carts/:cartId/convert', (req, res) => {
      const { orderId } = req.body as { orderId: string };
      const { cartId } = req.params;
      const earlier = conversions.get(cartId);
      if (earlier && earlier !== orderId) return answerProblem(res, 409, 'cart-closed');
      conversions.set(cartId, orderId);
      const cart = [...carts.values()].find((each) => each.id === cartId);
      res.json({
        cartId,
        customerId: cart?.customerId,
        status: 'converted',
        orderId,
        convertedAt: new Date(),
      });
    });
  });
  return Object.assign(standIn, { carts, cartQueues, conversions });
}

interface HeldReservation extends Reservation {
  /** Set by a test: the reservation's time ran out, so a commit is refused. */
  lapsed?: boolean;
}

/** product-service's reservations (Reservation contract): all lines or none, stock the test sets. */
export async function startCatalogStandIn(serviceSecret: string) {
  const stock = new Map<string, number>();
  const reservations = new Map<string, HeldReservation>();
  /** Runs before each commit is answered: for a test that moves the order meanwhile. */
  const hooks: { beforeCommit?: (orderId: string) => Promise<void> } = {};
  const giveBack = (reservation: HeldReservation) => {
    for (const item of reservation.items)
      stock.set(item.variantId, (stock.get(item.variantId) ?? 0) + item.quantity);
  };
  const standIn = await startInternalStandIn(serviceSecret, (app) => {
    app.post('/internal/reservations', (req, res) => {
      const request = req.body as ReservationRequest;
      const existing = reservations.get(request.orderId);
      if (existing) return res.json(existing);
      const availability = request.items.map((item) => ({
        variantId: item.variantId,
        requested: item.quantity,
        available: stock.get(item.variantId) ?? 0,
      }));
      if (availability.some((line) => line.available < line.requested))
        return answerProblem(res, 409, 'out-of-stock', { availability });
      for (const item of request.items) stock.set(item.variantId, stock.get(item.variantId)! - item.quantity);
      const now = new Date().toISOString();
      const reservation: HeldReservation = {
        orderId: request.orderId,
        status: 'active',
        items: request.items,
        expiresAt: new Date(Date.now() + (request.ttlSeconds ?? 900) * 1000).toISOString(),
        createdAt: now,
        updatedAt: now,
      };
      reservations.set(request.orderId, reservation);
      res.status(201).json(reservation);
    });
    app.post('/internal/reservations/:orderId/commit', async (req, res) => {
      await hooks.beforeCommit?.(req.params.orderId);
      const reservation = reservations.get(req.params.orderId);
      if (!reservation) return answerProblem(res, 404, 'not-found');
      if (reservation.status === 'active' && reservation.lapsed) {
        reservation.status = 'expired';
        giveBack(reservation);
      }
      if (reservation.status === 'expired') return answerProblem(res, 409, 'reservation-expired');
      if (reservation.status === 'released') return answerProblem(res, 409, 'reservation-closed');
      reservation.status = 'committed';
      res.json(reservation);
    });
    app.post('/internal/reservations/:orderId/release', (req, res) => {
      const reservation = reservations.get(req.params.orderId);
      if (!reservation) return answerProblem(res, 404, 'not-found');
      if (reservation.status === 'committed') return answerProblem(res, 409, 'reservation-committed');
      if (reservation.status === 'active') {
        reservation.status = 'released';
        giveBack(reservation);
      }
      res.json(reservation);
    });
  });
  return Object.assign(standIn, { stock, reservations, hooks });
}

/** payment-service's checkouts and refunds (CheckoutRequest / PaymentCheckout / RefundRequest). */
export async function startPaymentStandIn(serviceSecret: string) {
  const checkouts = new Map<string, { request: CheckoutRequest; checkout: PaymentCheckout }>();
  const refunds: Array<{ orderId: string; idempotencyKey: string; reason: string }> = [];
  const standIn = await startInternalStandIn(serviceSecret, (app) => {
    app.post('/internal/payments', (req, res) => {
      const request = req.body as CheckoutRequest;
      const existing = checkouts.get(request.orderId);
      if (existing) return res.status(201).json(existing.checkout);
      const preferenceId = `pref-${randomUUID()}`;
      const checkout: PaymentCheckout = {
        paymentId: randomUUID(),
        orderId: request.orderId,
        preferenceId,
        checkoutUrl: `https://sandbox.example.test/checkout/${preferenceId}`,
        status: 'pending',
        expiresAt: request.expiresAt,
      };
      checkouts.set(request.orderId, { request, checkout });
      res.status(201).json(checkout);
    });
    app.post('/internal/payments/orders/:orderId/refunds', (req, res) => {
      const idempotencyKey = String(req.headers['idempotency-key']);
      const { orderId } = req.params;
      if (!refunds.some((each) => each.idempotencyKey === idempotencyKey))
        refunds.push({ orderId, idempotencyKey, reason: (req.body as { reason: string }).reason });
      res.json({ orderId, status: 'refunded' });
    });
  });
  return Object.assign(standIn, { checkouts, refunds });
}

/** notification-service's intake (NotificationRequest contract): each key stored once, answered 202. */
export async function startNotificationStandIn(serviceSecret: string) {
  const notifications: Array<{ idempotencyKey: string; request: NotificationRequest }> = [];
  const standIn = await startInternalStandIn(serviceSecret, (app) => {
    app.post('/internal/notifications', (req, res) => {
      const idempotencyKey = String(req.headers['idempotency-key']);
      if (!notifications.some((each) => each.idempotencyKey === idempotencyKey))
        notifications.push({ idempotencyKey, request: req.body as NotificationRequest });
      res
        .status(202)
        .json({ id: randomUUID(), type: (req.body as NotificationRequest).type, deliveries: [] });
    });
  });
  return Object.assign(standIn, { notifications });
}

/** user-service's profile, read by checkout as the customer: their saved shipping addresses. */
export async function startUserStandIn(serviceSecret: string) {
  const addressesByToken = new Map<string, ShippingAddress[]>();
  const standIn = await startInternalStandIn(serviceSecret, (app) => {
    app.get('/api/users/me', (req, res) => {
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const addresses = addressesByToken.get(token);
      if (!addresses) return answerProblem(res, 401, 'unauthorized');
      res.json({ shippingAddresses: addresses });
    });
  });
  return Object.assign(standIn, { addressesByToken });
}
