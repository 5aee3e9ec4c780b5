// A purchase end to end, every service real: cart, checkout, the MercadoPago sandbox, the order's
// history and the e-mails in the dev inbox; and 200 buyers racing for 10 units.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { Problem, ROLE_PERMISSIONS, ShopClient, type Order, type ShippingAddress } from '@escalable/shop-sdk';
import { keyIdOf, signAccessToken } from '@escalable/shop-sdk/internal';
import { newEmail, signedInAdmin, signedUpShopper } from './clients.js';
import { e2eStack, gatewayUrl, stackSecrets } from './stack.js';

const address: ShippingAddress = {
  recipient: 'Ana Compradora',
  line1: 'Av. Corrientes 1234',
  city: 'Buenos Aires',
  postalCode: 'C1043',
  country: 'AR',
  isDefault: true,
};

async function waitFor<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

const orderReaching = (shopper: ShopClient, orderId: string, status: Order['status']) =>
  waitFor(async () => {
    const order = await shopper.orders.get(orderId);
    return order.status === status ? order : undefined;
  }, `order ${orderId} to be ${status}`);

const subjectsTo = (email: string) =>
  e2eStack()
    .sandboxes.smtp.messages()
    .filter((message) => message.to.includes(email))
    .map((message) => message.subject);

/** An active product with one variant of `stock` units at 12 500.00 ARS, made by the admin. */
async function variantWith(admin: ShopClient, stock: number) {
  const run = randomUUID().slice(0, 8).toUpperCase();
  const product = await admin.products.create({
    name: `Mate ${run}`,
    status: 'active',
    variants: [
      {
        sku: `ORD-${run}`,
        options: { color: 'negro' },
        price: { amount: 1_250_000, currency: 'ARS' },
        stock,
      },
    ],
  });
  return { productId: product.id, variantId: product.variants[0]!.id };
}

const stockOf = async (admin: ShopClient, productId: string, variantId: string) => {
  const ledger = await admin.products.stockLedger(productId, variantId, { limit: 1 });
  return { onHand: ledger.onHand, reserved: ledger.reserved };
};

const preferenceOf = (checkoutUrl: string) => new URL(checkoutUrl).searchParams.get('pref_id')!;

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
    const placed = await shopper.orders.place({ shippingAddress: address }, `checkout-${randomUUID()}`);
    const checkoutMs = performance.now() - started;
    const whileUnpaid = await stockOf(admin, productId, variantId);
    await e2eStack().sandboxes.mercadopago.pay(preferenceOf(placed.checkoutUrl), 'approve');
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

    const placed = await shopper.orders.place({ shippingAddress: address }, `checkout-${randomUUID()}`);
    await e2eStack().sandboxes.mercadopago.pay(preferenceOf(placed.checkoutUrl), 'reject');
    const failed = await orderReaching(shopper, placed.id, 'payment_failed');
    const stock = await waitFor(async () => {
      const now = await stockOf(admin, productId, variantId);
      return now.reserved === 0 ? now : undefined;
    }, 'the stock to be released');

    expect(failed.history.map((step) => step.to)).to.deep.equal(['pending_payment', 'payment_failed']);
    expect(stock).to.deep.equal({ onHand: 4, reserved: 0 });
  });

  it('When 200 customers buy a variant with 10 units at once, then exactly 10 orders are placed and 190 get a clear 409', async function () {
    this.timeout(300_000);
    const { productId, variantId } = await variantWith(admin, 10);
    // Signed in with tokens made by the stack's own signing key, as user-service would issue them: 200
    // sign-ups would spend minutes hashing passwords on this machine, and the race is about stock.
    const { jwtPrivateKey } = await stackSecrets();
    const key = { privateKey: jwtPrivateKey, kid: keyIdOf(jwtPrivateKey) };
    const buyers = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const buyer = new ShopClient({ baseUrl: gatewayUrl(), timeoutMs: 60_000 });
        const claims = {
          sub: randomUUID(),
          email: newEmail(),
          roles: ['customer' as const],
          permissions: [],
        };
        const accessToken = signAccessToken(
          { ...claims, permissions: [...ROLE_PERMISSIONS.customer] },
          key,
          900,
        );
        buyer.tokens = {
          tokenType: 'Bearer',
          accessToken,
          expiresIn: 900,
          refreshToken: '',
          refreshExpiresIn: 0,
        };
        await buyer.cart.addItem({ variantId, quantity: 1 });
        return buyer;
      }),
    );

    const started = performance.now();
    const outcomes = await Promise.all(
      buyers.map(async (buyer) => {
        const began = performance.now();
        const outcome = await buyer.orders
          .place({ shippingAddress: address }, `checkout-${randomUUID()}`)
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
