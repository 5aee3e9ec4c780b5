// A shopper's whole purchase through the gateway with the shop-sdk client, from sign-up to delivery,
// and the ways money comes back: a cancelled paid order, an order left unpaid, a payment come too late.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { ShopClient } from '@escalable/shop-sdk';
import {
  emailsTo,
  newEmail,
  newPhone,
  noticesAbout,
  onePerStep,
  orderNotice,
  orderReaching,
  paymentSandbox,
  PASSWORD,
  preferenceOf,
  shippingAddress,
  signedInAdmin,
  signedUpShopper,
  stockOf,
  textsTo,
  variantWith,
  visitor,
  waitFor,
} from './clients.js';
import { ORDER_PAYMENT_TTL_SECONDS } from './stack.js';

const checkoutKey = () => `checkout-${randomUUID()}`;

/** Waits until the buyer's inboxes hold `count` e-mails and `count` texts about the order. */
const noticesArriving = (orderId: string, buyer: { email: string; phone: string }, count: number) =>
  waitFor(async () => {
    const { subjects, texts } = noticesAbout(orderId, buyer);
    return subjects.length >= count && texts.length >= count ? true : undefined;
  }, `${count} e-mails and ${count} texts about ${orderId}`);

async function paymentOf(orderId: string) {
  return waitFor(
    async () =>
      paymentSandbox()
        .payments()
        .find((payment) => payment.externalReference === orderId),
    `the sandbox payment of ${orderId}`,
  );
}

describe('A purchase from sign-up to delivery', () => {
  let admin: ShopClient;

  before(async () => {
    admin = await signedInAdmin();
  });

  it('When a visitor signs up, finds a product, fills a guest cart, signs in, pays and the shop ships and delivers, then every step shows in the order, the stock, the cart, the inbox and the phone', async () => {
    const { run, productId, variantId } = await variantWith(admin, 5);
    const email = newEmail();
    const phone = newPhone();
    await visitor().auth.register({ email, password: PASSWORD, name: 'Ana Viajera', phone });
    const shopper = visitor();

    const found = await shopper.products.list({ q: run });
    const product = await shopper.products.get(found.items[0]!.slug);
    await shopper.cart.addItem({ variantId: product.variants[0]!.id, quantity: 2 });
    const guestToken = shopper.cart.guestToken;
    await shopper.auth.login({ email, password: PASSWORD });
    const merged = await shopper.cart.get();
    const placed = await shopper.orders.place({ shippingAddress }, checkoutKey());
    await paymentSandbox().pay(preferenceOf(placed.checkoutUrl), 'approve');
    const paid = await orderReaching(shopper, placed.id, 'paid');
    const stockWhenPaid = await stockOf(admin, productId, variantId);
    const cartWhenPaid = await shopper.cart.get();
    await admin.orders.updateStatus(placed.id, { status: 'processing' });
    await admin.orders.updateStatus(placed.id, {
      status: 'shipped',
      carrier: 'Andreani',
      trackingNumber: `AND-${run}`,
    });
    const delivered = await admin.orders.updateStatus(placed.id, { status: 'delivered' });
    await noticesArriving(placed.id, { email, phone }, 4);

    expect(found.items.map((item) => item.id)).to.deep.equal([productId]);
    expect(guestToken, 'the guest cart had a token').to.be.a('string');
    expect(shopper.cart.guestToken, 'the guest cart was merged').to.equal(undefined);
    expect(merged.lines.map((line) => [line.variantId, line.quantity])).to.deep.equal([[variantId, 2]]);
    expect(placed.total).to.deep.equal({ amount: 2_500_000, currency: 'ARS' });
    expect(paid.history.map((step) => step.to)).to.deep.equal(['pending_payment', 'paid']);
    expect(stockWhenPaid).to.deep.equal({ onHand: 3, reserved: 0 });
    expect(cartWhenPaid.lines).to.deep.equal([]);
    expect(delivered.history.map((step) => step.to)).to.deep.equal([
      'pending_payment',
      'paid',
      'processing',
      'shipped',
      'delivered',
    ]);
    const shippedNotice = orderNotice.shipped(placed.id, 'Andreani', `AND-${run}`);
    expect(noticesAbout(placed.id, { email, phone })).to.deep.equal(
      onePerStep([
        orderNotice.placed(placed.id, 2_500_000),
        orderNotice.paid(placed.id, 2_500_000),
        shippedNotice,
        orderNotice.delivered(placed.id),
      ]),
    );
    const shipped = emailsTo(email).find((message) => message.subject === shippedNotice.subject);
    expect(shipped?.html).to.include('Andreani').and.include(`AND-${run}`);
    // The welcome, and one text per step of the order.
    expect(textsTo(phone)).to.have.length(5);
  });

  it('When a paid order is cancelled, then the sandbox refunds the payment and the order reads refunded, the customer told', async () => {
    const { variantId } = await variantWith(admin, 3);
    const phone = newPhone();
    const shopper = await signedUpShopper('Bruno Arrepentido', phone);
    const { email } = await shopper.users.me();
    await shopper.cart.addItem({ variantId, quantity: 1 });
    const placed = await shopper.orders.place({ shippingAddress }, checkoutKey());
    await paymentSandbox().pay(preferenceOf(placed.checkoutUrl), 'approve');
    await orderReaching(shopper, placed.id, 'paid');

    const cancelled = await shopper.orders.cancel(placed.id, { reason: 'Me arrepentí' });
    const refunded = await orderReaching(shopper, placed.id, 'refunded');
    await noticesArriving(placed.id, { email, phone }, 4);

    expect(cancelled.status).to.equal('cancelled');
    expect(refunded.history.map((step) => step.to)).to.deep.equal([
      'pending_payment',
      'paid',
      'cancelled',
      'refunded',
    ]);
    const payment = await paymentOf(placed.id);
    expect(payment.status).to.equal('refunded');
    expect(payment.refunds.map((refund) => refund.amount)).to.deep.equal([12_500]);
    expect(noticesAbout(placed.id, { email, phone })).to.deep.equal(
      onePerStep([
        orderNotice.placed(placed.id, 1_250_000),
        orderNotice.paid(placed.id, 1_250_000),
        orderNotice.cancelled(placed.id),
        orderNotice.refunded(placed.id, 1_250_000),
      ]),
    );
  });

  it('When one order is left unpaid and another is approved only after its time ran out, then both are cancelled, the stock is back and the late payment is refunded', async function () {
    this.timeout((ORDER_PAYMENT_TTL_SECONDS + 60) * 1000);
    const { productId, variantId } = await variantWith(admin, 4);
    const [idle, late] = await Promise.all([
      signedUpShopper('Ceci Olvidadiza'),
      signedUpShopper('Dani Tardío'),
    ]);
    await idle.cart.addItem({ variantId, quantity: 1 });
    await late.cart.addItem({ variantId, quantity: 2 });
    const unpaid = await idle.orders.place({ shippingAddress }, checkoutKey());
    const paidLate = await late.orders.place({ shippingAddress }, checkoutKey());
    const whileHeld = await stockOf(admin, productId, variantId);
    // The buyer approves in time, but MercadoPago's word reaches the shop only after the order expired.
    paymentSandbox().dropNextNotifications(1);
    const payment = await paymentSandbox().pay(preferenceOf(paidLate.checkoutUrl), 'approve');

    const timeout = (ORDER_PAYMENT_TTL_SECONDS + 20) * 1000;
    const expired = await orderReaching(idle, unpaid.id, 'cancelled', timeout);
    await orderReaching(late, paidLate.id, 'cancelled', timeout);
    const stockAfterExpiry = await waitFor(async () => {
      const stock = await stockOf(admin, productId, variantId);
      return stock.reserved === 0 ? stock : undefined;
    }, 'the expired orders’ stock to be released');
    await paymentSandbox().setPaymentStatus(payment.id, 'approved');
    const refunded = await orderReaching(late, paidLate.id, 'refunded');

    expect(whileHeld).to.deep.equal({ onHand: 4, reserved: 3 });
    expect(expired.history.at(-1)).to.include({ to: 'cancelled', reason: 'The order was not paid in time' });
    expect(stockAfterExpiry).to.deep.equal({ onHand: 4, reserved: 0 });
    expect(refunded.history.map((step) => step.to)).to.deep.equal([
      'pending_payment',
      'cancelled',
      'refunded',
    ]);
    expect((await paymentOf(paidLate.id)).status).to.equal('refunded');
    expect(await stockOf(admin, productId, variantId)).to.deep.equal({ onHand: 4, reserved: 0 });
  });
});
