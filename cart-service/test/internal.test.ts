import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Problem, type Cart, type CheckoutCart } from '@escalable/shop-sdk';
import { serviceTokenSigner } from '@escalable/shop-sdk/internal';
import {
  call,
  cartCall,
  cartService,
  givenInCart,
  newCustomer,
  SERVICE_SECRET,
  storedCartId,
  type Shopper,
} from './harness.js';

async function failureOf(work: Promise<unknown>): Promise<Problem> {
  const outcome = await work.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).to.be.instanceOf(Problem);
  return outcome as Problem;
}

describe('/internal/carts for order-service', () => {
  it("When order-service reads a customer's cart for checkout, then its id, lines priced now, issues and subtotal", async () => {
    const { url, catalog, internal } = await cartService();
    const customer = newCustomer();
    const [a, b] = [catalog.addVariant({ price: { amount: 300, currency: 'ARS' } }), catalog.addVariant()];
    await givenInCart(url, customer, a.variantId, 2);
    await givenInCart(url, customer, b.variantId, 1);
    catalog.update(b.variantId, { available: 0 });

    const cart = await internal.checkoutCart(customer.id);

    expect(cart.id).to.match(/^[0-9a-f-]{36}$/);
    expect(cart).to.deep.include({ customerId: customer.id, currency: 'ARS', pricing: 'live' });
    expect(cart.subtotal).to.deep.equal({ amount: 1600, currency: 'ARS' });
    expect(
      cart.lines.map((line) => [line.variantId, line.quantity, line.unitPrice, line.product?.sku]),
    ).to.deep.equal([
      [a.variantId, 2, { amount: 300, currency: 'ARS' }, a.sku],
      [b.variantId, 1, { amount: 1000, currency: 'ARS' }, b.sku],
    ]);
    expect(cart.lines[1]!.issues).to.deep.equal([{ type: 'out-of-stock' }]);
  });

  it('When the customer has no cart, then an empty cart with no id', async () => {
    const { internal } = await cartService();
    const customerId = randomUUID();

    const cart = await internal.checkoutCart(customerId);

    expect(cart).to.deep.include({ id: null, customerId, lines: [], itemCount: 0, subtotal: null });
  });

  it("When order-service converts a cart, then it is closed: converting again for the same order answers the same, and the customer's next add starts a new cart", async () => {
    const { url, catalog, internal } = await cartService();
    const customer = newCustomer();
    const variant = catalog.addVariant();
    await givenInCart(url, customer, variant.variantId, 2);
    const { id } = await internal.checkoutCart(customer.id);

    const converted = await internal.convert(id!, 'ord_1001');
    const again = await internal.convert(id!, 'ord_1001');
    const emptyNow = await cartCall<Cart>(url, customer, 'GET', '/api/cart');
    await givenInCart(url, customer, variant.variantId, 1);
    const next = await internal.checkoutCart(customer.id);

    expect(converted).to.deep.include({
      cartId: id,
      customerId: customer.id,
      status: 'converted',
      orderId: 'ord_1001',
    });
    expect(again).to.deep.equal(converted);
    expect(emptyNow.body.lines).to.deep.equal([]);
    expect(next.id).to.not.equal(id);
    expect(next.lines.map((line) => line.quantity)).to.deep.equal([1]);
  });

  it('When a converted cart is converted for another order, then 409 cart-closed naming the first order', async () => {
    const { url, catalog, internal } = await cartService();
    const customer = newCustomer();
    await givenInCart(url, customer, catalog.addVariant().variantId, 1);
    const { id } = await internal.checkoutCart(customer.id);
    await internal.convert(id!, 'ord_2001');

    const problem = await failureOf(internal.convert(id!, 'ord_2002'));

    expect([problem.status, problem.slug, problem.extensions.orderId]).to.deep.equal([
      409,
      'cart-closed',
      'ord_2001',
    ]);
  });

  it('When a guest cart or an unknown cart is converted, then 404', async () => {
    const { url, catalog, internal } = await cartService();
    const guest: Shopper = {};
    await givenInCart(url, guest, catalog.addVariant().variantId, 1);
    const guestCartId = await storedCartId(guest);

    const [guestCart, unknown] = await Promise.all([
      failureOf(internal.convert(guestCartId, 'ord_3001')),
      failureOf(internal.convert(randomUUID(), 'ord_3002')),
    ]);

    expect([guestCart.status, unknown.status]).to.deep.equal([404, 404]);
  });

  it('When the caller has no service credentials, or a customer token, then 401', async () => {
    const { url } = await cartService();
    const customer = newCustomer();
    const forged = serviceTokenSigner('order-service', 'x'.repeat(64))();

    const answers = await Promise.all([
      call<CheckoutCart>(url, 'GET', `/internal/carts/customers/${customer.id}`),
      call(url, 'GET', `/internal/carts/customers/${customer.id}`, { token: customer.token }),
      call(url, 'POST', `/internal/carts/${randomUUID()}/convert`, {
        token: forged,
        body: { orderId: 'o-1' },
      }),
    ]);

    expect(answers.map((answer) => answer.status)).to.deep.equal([401, 401, 401]);
  });

  it('When ids or the order id are not valid, then 400 naming them', async () => {
    const { url } = await cartService();
    const token = serviceTokenSigner('order-service', SERVICE_SECRET)();

    const [customer, cart, order] = await Promise.all([
      call(url, 'GET', '/internal/carts/customers/nope', { token }),
      call(url, 'POST', '/internal/carts/nope/convert', { token, body: { orderId: 'o-1' } }),
      call(url, 'POST', `/internal/carts/${randomUUID()}/convert`, {
        token,
        body: { orderId: '../x', extra: 1 },
      }),
    ]);

    expect([customer.status, cart.status, order.status]).to.deep.equal([400, 400, 400]);
    expect((order.body.invalidParams as Array<{ name: string }>).map((param) => param.name)).to.have.members([
      'orderId',
      'extra',
    ]);
  });
});
