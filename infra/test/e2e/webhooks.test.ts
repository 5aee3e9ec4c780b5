// MercadoPago's webhooks as they really come: twice, late and out of order, and as an attacker would send
// them (forged, replayed long after). The order must end where the money says, whatever the mail brought.
import { createHmac, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { request } from 'undici';
import type { ShopClient } from '@escalable/shop-sdk';
import {
  orderReaching,
  paymentSandbox,
  preferenceOf,
  shippingAddress,
  signedInAdmin,
  signedUpShopper,
  stockOf,
  subjectsTo,
  variantWith,
} from './clients.js';
import { gatewayUrl, stackSecrets } from './stack.js';

// Time for a notification the shop took in to have moved the order, if it were going to.
const SETTLE_MS = 3_000;

/** POSTs a payment notification for `paymentId` as MercadoPago would, signed with `secret` at `ts`. */
async function notify(paymentId: number, secret: string, ts: number): Promise<number> {
  const requestId = randomUUID();
  const v1 = createHmac('sha256', secret)
    .update(`id:${paymentId};request-id:${requestId};ts:${ts};`)
    .digest('hex');
  const res = await request(
    `${gatewayUrl()}/api/payments/webhooks/mercadopago?data.id=${paymentId}&type=payment`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': requestId,
        'x-signature': `ts=${ts},v1=${v1}`,
      },
      body: JSON.stringify({
        action: 'payment.updated',
        api_version: 'v1',
        data: { id: String(paymentId) },
        date_created: new Date().toISOString(),
        id: Date.now(),
        live_mode: false,
        type: 'payment',
        user_id: '1000000001',
      }),
    },
  );
  await res.body.dump();
  return res.statusCode;
}

describe('MercadoPago webhooks through the gateway', () => {
  let admin: ShopClient;

  before(async () => {
    admin = await signedInAdmin();
  });

  async function placedOrder(stock: number) {
    const { productId, variantId } = await variantWith(admin, stock);
    const shopper = await signedUpShopper('Eva Webhook');
    const { email } = await shopper.users.me();
    await shopper.cart.addItem({ variantId, quantity: 1 });
    const order = await shopper.orders.place({ shippingAddress }, `checkout-${randomUUID()}`);
    return { shopper, email, order, productId, variantId, preference: preferenceOf(order.checkoutUrl) };
  }

  it('When the approval is notified twice, then the order is paid once, the stock sold once and one e-mail sent', async () => {
    const { shopper, email, order, productId, variantId, preference } = await placedOrder(3);

    paymentSandbox().duplicateNextNotifications(1);
    const payment = await paymentSandbox().pay(preference, 'approve');
    const paid = await orderReaching(shopper, order.id, 'paid');
    await sleep(SETTLE_MS);

    const deliveries = paymentSandbox()
      .notifications()
      .filter((notification) => notification.paymentId === String(payment.id));
    expect(deliveries.map((delivery) => delivery.status)).to.deep.equal([200, 200]);
    expect((await shopper.orders.get(order.id)).history).to.deep.equal(paid.history);
    expect(paid.history.map((step) => step.to)).to.deep.equal(['pending_payment', 'paid']);
    expect(await stockOf(admin, productId, variantId)).to.deep.equal({ onHand: 2, reserved: 0 });
    expect(
      subjectsTo(email).filter((subject) => subject === `Pago aprobado: pedido ${order.id}`),
    ).to.have.length(1);
  });

  it('When a rejected first attempt is notified only after the approved retry, then the order stays paid', async () => {
    const { shopper, order, preference } = await placedOrder(3);

    paymentSandbox().dropNextNotifications(1);
    const rejected = await paymentSandbox().pay(preference, 'reject');
    await paymentSandbox().pay(preference, 'approve');
    await orderReaching(shopper, order.id, 'paid');
    await paymentSandbox().setPaymentStatus(rejected.id, 'rejected');
    await sleep(SETTLE_MS);

    const late = paymentSandbox()
      .notifications()
      .filter((notification) => notification.paymentId === String(rejected.id) && !notification.dropped);
    expect(late.map((delivery) => delivery.status)).to.deep.equal([200]);
    const final = await shopper.orders.get(order.id);
    expect(final.status).to.equal('paid');
    expect(final.history.map((step) => step.to)).to.deep.equal(['pending_payment', 'paid']);
    expect((await shopper.payments.forOrder(order.id)).status).to.equal('approved');
  });

  it('When notifications come forged, stale or from the future, then each is refused with 401 and only the genuine one pays the order', async () => {
    const { shopper, order, preference } = await placedOrder(3);
    const { mercadopagoWebhookSecret } = await stackSecrets();
    // The buyer paid, but MercadoPago's own notification was lost: only what is posted below arrives.
    paymentSandbox().dropNextNotifications(1);
    const payment = await paymentSandbox().pay(preference, 'approve');
    const now = Math.floor(Date.now() / 1000);

    const forged = await notify(payment.id, 'not-the-webhook-secret', now);
    const stale = await notify(payment.id, mercadopagoWebhookSecret, now - 3_600);
    const ahead = await notify(payment.id, mercadopagoWebhookSecret, now + 3_600);
    await sleep(SETTLE_MS);
    const afterRefused = await shopper.orders.get(order.id);
    const genuine = await notify(payment.id, mercadopagoWebhookSecret, Math.floor(Date.now() / 1000));
    const paid = await orderReaching(shopper, order.id, 'paid');

    expect({ forged, stale, ahead, genuine }).to.deep.equal({
      forged: 401,
      stale: 401,
      ahead: 401,
      genuine: 200,
    });
    expect(afterRefused.status).to.equal('pending_payment');
    expect(paid.history.map((step) => step.to)).to.deep.equal(['pending_payment', 'paid']);
  });
});
