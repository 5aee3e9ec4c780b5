// A purchase end to end, every service real: cart, checkout, the MercadoPago sandbox, the order's
// history and the e-mails in the dev inbox; a checkout repeated while it runs; and 200 buyers racing
// for 10 units.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Problem, type ShopClient } from '@escalable/shop-sdk';
import {
  failureOf,
  orderReaching,
  paymentSandbox,
  preferenceOf,
  shippingAddress,
  signedInAdmin,
  signedUpShopper,
  stockOf,
  subjectsTo,
  tokenShopper,
  variantWith,
  waitFor,
} from './clients.js';
import { withDatabase } from './stack.js';

describe('Orders through the gateway', () => {
  let admin: ShopClient;

  before(async () => {
    admin = await signedInAdmin();
  });

  it('When a customer checks out and approves the payment in the sandbox, then the order is paid with its history, the stock sold and both e-mails in the inbox', async () => {
    const { productId, variantId } = await variantWith(admin, 5);
    const shopper = await signedUpShopper('Ana Compradora');
    const me = await shopper.users.me();
    await shopper.cart.addItem({ variantId, quantity: 2 });

    const started = performance.now();
    const placed = await shopper.orders.place({ shippingAddress }, `checkout-${randomUUID()}`);
    const checkoutMs = performance.now() - started;
    const whileUnpaid = await stockOf(admin, productId, variantId);
    await paymentSandbox().pay(preferenceOf(placed.checkoutUrl), 'approve');
    const paid = await orderReaching(shopper, placed.id, 'paid');
    await waitFor(
      async () =>
        subjectsTo(me.email).filter((subject) => subject.includes(placed.id)).length >= 2 ? true : undefined,
      'the order-placed and payment-approved e-mails',
    );
    console.log(`      checkout through the gateway: ${checkoutMs.toFixed(0)} ms`);

    expect(placed.status).to.equal('pending_payment');
    expect(placed.total).to.deep.equal({ amount: 2_500_000, currency: 'ARS' });
    expect(placed.lines[0]).to.include({ variantId, quantity: 2 });
    expect(whileUnpaid).to.deep.equal({ onHand: 5, reserved: 2 });
    expect(paid.history.map((step) => [step.from, step.to])).to.deep.equal([
      [null, 'pending_payment'],
      ['pending_payment', 'paid'],
    ]);
    expect(await stockOf(admin, productId, variantId)).to.deep.equal({ onHand: 3, reserved: 0 });
    expect(
      subjectsTo(me.email)
        .filter((subject) => subject.includes(placed.id))
        .sort(),
    ).to.deep.equal([`Pago aprobado: pedido ${placed.id}`, `Recibimos tu pedido ${placed.id}`]);
    expect((await shopper.cart.get()).lines).to.deep.equal([]);
  });

  it('When the customer rejects the payment in the sandbox, then the order is payment_failed and its stock is back', async () => {
    const { productId, variantId } = await variantWith(admin, 4);
    const shopper = await signedUpShopper('Beto Rechazado');
    await shopper.cart.addItem({ variantId, quantity: 3 });

    const placed = await shopper.orders.place({ shippingAddress }, `checkout-${randomUUID()}`);
    await paymentSandbox().pay(preferenceOf(placed.checkoutUrl), 'reject');
    const failed = await orderReaching(shopper, placed.id, 'payment_failed');
    const stock = await waitFor(async () => {
      const now = await stockOf(admin, productId, variantId);
      return now.reserved === 0 ? now : undefined;
    }, 'the stock to be released');

    expect(failed.history.map((step) => step.to)).to.deep.equal(['pending_payment', 'payment_failed']);
    expect(stock).to.deep.equal({ onHand: 4, reserved: 0 });
  });

  it('When a buyer repeats a checkout while the first is still running, then the repeat gets a 409 checkout-in-progress through the gateway, not its 504, and later the one order', async function () {
    this.timeout(90_000);
    const { variantId } = await variantWith(admin, 2);
    const shopper = await tokenShopper();
    await shopper.cart.addItem({ variantId, quantity: 1 });
    const customerId = JSON.parse(atob(shopper.tokens!.accessToken.split('.')[1]!)).sub as string;
    const key = `checkout-${randomUUID()}`;

    const { repeat, runningMeanwhile, placed, again } = await withDatabase('shop_order', async (client) => {
      // order-service counts a customer's unpaid orders under this lock (its db/orders.ts), as their
      // other checkout would hold it: this one stalls there with its key claimed.
      const lock = 'hashtextextended($1, 0)';
      await client.query(`SELECT pg_advisory_lock(${lock})`, [customerId]);
      let firstAnswered = false;
      const first = shopper.orders.place({ shippingAddress }, key).finally(() => (firstAnswered = true));
      await waitFor(async () => {
        const { rowCount } = await client.query('SELECT 1 FROM checkout_keys WHERE customer_id = $1', [
          customerId,
        ]);
        return rowCount === 1 ? true : undefined;
      }, 'the first checkout to claim its key');
      const repeat = await failureOf(shopper.orders.place({ shippingAddress }, key));
      const runningMeanwhile = !firstAnswered;
      await client.query(`SELECT pg_advisory_unlock(${lock})`, [customerId]);
      const placed = await first.catch((error: unknown) => error);
      const again = await shopper.orders.place({ shippingAddress }, key).catch((error: unknown) => error);
      return { repeat, runningMeanwhile, placed, again };
    });

    expect(`${repeat.status} ${repeat.slug}`, repeat.detail).to.equal('409 checkout-in-progress');
    expect(runningMeanwhile, 'the first checkout was still running').to.equal(true);
    expect(placed).to.not.be.instanceOf(Problem);
    expect(again).to.deep.equal(placed);
  });

  it('When 200 customers buy a variant with 10 units at once, then exactly 10 orders are placed and 190 get a clear 409', async function () {
    this.timeout(300_000);
    const { productId, variantId } = await variantWith(admin, 10);
    // Signed in with tokens made by the stack's own signing key, as user-service would issue them: 200
    // sign-ups would spend minutes hashing passwords on this machine, and the race is about stock.
    const buyers = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const buyer = await tokenShopper();
        await buyer.cart.addItem({ variantId, quantity: 1 });
        return buyer;
      }),
    );

    const started = performance.now();
    const outcomes = await Promise.all(
      buyers.map(async (buyer) => {
        const began = performance.now();
        const outcome = await buyer.orders
          .place({ shippingAddress }, `checkout-${randomUUID()}`)
          .then((order) => ({ status: 201, type: 'placed', id: order.id }))
          .catch((error: unknown) => {
            if (!(error instanceof Problem)) throw error;
            return { status: error.status, type: error.slug, id: '' };
          });
        return { ...outcome, ms: performance.now() - began };
      }),
    );
    const elapsedMs = performance.now() - started;
    const times = outcomes.map((outcome) => outcome.ms).sort((a, b) => a - b);
    const percentile = (p: number) =>
      times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
    console.log(
      `      200 concurrent checkouts: ${elapsedMs.toFixed(0)} ms in all, p50 ${percentile(50).toFixed(0)} ms, p99 ${percentile(99).toFixed(0)} ms`,
    );

    const tally = JSON.stringify(
      outcomes.reduce<Record<string, number>>((counts, outcome) => {
        const label = `${outcome.status} ${outcome.type}`;
        return { ...counts, [label]: (counts[label] ?? 0) + 1 };
      }, {}),
    );
    const placed = outcomes.filter((outcome) => outcome.status === 201);
    const refused = outcomes.filter((outcome) => outcome.status === 409);
    expect(placed, tally).to.have.length(10);
    expect(refused, tally).to.have.length(190);
    expect(new Set(refused.map((outcome) => outcome.type))).to.deep.equal(new Set(['out-of-stock']));
    expect(await stockOf(admin, productId, variantId)).to.deep.equal({ onHand: 10, reserved: 10 });
  });
});
