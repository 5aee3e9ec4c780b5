import { expect } from 'chai';
import { type Cart } from '@escalable/shop-sdk';
import { CartServiceClient } from '@escalable/shop-sdk/internal';
import { countRows } from '@escalable/shop-sdk/testing';
import {
  cartCall,
  cartService,
  givenInCart,
  instanceWithOwnCatalog,
  newCustomer,
  SERVICE_SECRET,
  type ProblemBody,
  type Shopper,
} from './harness.js';

const problem = (slug: string) => `https://escalable.shop/problems/${slug}`;

// Each test has its own instance and stand-in: the failures open that instance's circuit breaker to
// product-service, which must not slow the other tests down.
describe('product-service down', () => {
  it('When a cart is read while product-service is down, then 200 with its stored lines and prices marked unavailable', async () => {
    const instance = await instanceWithOwnCatalog();
    try {
      const customer = newCustomer();
      const variant = instance.catalog.addVariant({ price: { amount: 1500, currency: 'ARS' } });
      await givenInCart(instance.url, customer, variant.variantId, 2);
      instance.catalog.down = true;

      const answer = await cartCall<Cart>(instance.url, customer, 'GET', '/api/cart');

      expect(answer.status).to.equal(200);
      expect(answer.body).to.deep.include({
        pricing: 'unavailable',
        subtotal: null,
        currency: 'ARS',
        itemCount: 2,
      });
      expect(answer.body.lines).to.deep.equal([
        {
          variantId: variant.variantId,
          quantity: 2,
          addedPrice: { amount: 1500, currency: 'ARS' },
          unitPrice: null,
          lineTotal: null,
          available: null,
          product: null,
          issues: [],
        },
      ]);
    } finally {
      await instance.close();
    }
  });

  it('When a shopper adds, changes a quantity or merges while product-service is down, then 503 problem+json and nothing is written', async () => {
    const instance = await instanceWithOwnCatalog();
    const { db } = await cartService();
    try {
      const customer = newCustomer();
      const guest: Shopper = {};
      const [kept, other] = [instance.catalog.addVariant(), instance.catalog.addVariant()];
      await givenInCart(instance.url, customer, kept.variantId, 1);
      await givenInCart(instance.url, guest, other.variantId, 1);
      const cartsBefore = await countRows(db, 'carts');
      instance.catalog.down = true;

      const answers = await Promise.all([
        cartCall<ProblemBody>(instance.url, customer, 'POST', '/api/cart/items', {
          variantId: other.variantId,
          quantity: 1,
        }),
        cartCall<ProblemBody>(instance.url, {}, 'POST', '/api/cart/items', {
          variantId: other.variantId,
          quantity: 1,
        }),
        cartCall<ProblemBody>(instance.url, customer, 'PATCH', `/api/cart/items/${kept.variantId}`, {
          quantity: 3,
        }),
        cartCall<ProblemBody>(
          instance.url,
          { ...customer, cartToken: guest.cartToken },
          'POST',
          '/api/cart/merge',
        ),
      ]);

      for (const answer of answers) {
        expect([answer.status, answer.body.type]).to.deep.equal([503, problem('upstream-unavailable')]);
        expect(answer.headers['content-type']).to.match(/^application\/problem\+json/);
      }
      instance.catalog.down = false;
      const { url } = await cartService();
      const [customerCart, guestCart] = await Promise.all([
        cartCall<Cart>(url, customer, 'GET', '/api/cart'),
        cartCall<Cart>(url, guest, 'GET', '/api/cart'),
      ]);
      expect(customerCart.body.lines.map((line) => [line.variantId, line.quantity])).to.deep.equal([
        [kept.variantId, 1],
      ]);
      expect(guestCart.status, 'the guest cart was not merged').to.equal(200);
      expect(await countRows(db, 'carts')).to.equal(cartsBefore);
    } finally {
      await instance.close();
    }
  });

  it('When a shopper removes a line or empties the cart while product-service is down, then it works: removals need no prices', async () => {
    const instance = await instanceWithOwnCatalog();
    try {
      const customer = newCustomer();
      const [a, b] = [instance.catalog.addVariant(), instance.catalog.addVariant()];
      await givenInCart(instance.url, customer, a.variantId, 1);
      await givenInCart(instance.url, customer, b.variantId, 1);
      instance.catalog.down = true;

      const removed = await cartCall<Cart>(
        instance.url,
        customer,
        'DELETE',
        `/api/cart/items/${a.variantId}`,
      );
      const emptied = await cartCall(instance.url, customer, 'DELETE', '/api/cart');

      expect([removed.status, removed.body.pricing]).to.deep.equal([200, 'unavailable']);
      expect(removed.body.lines.map((line) => line.variantId)).to.deep.equal([b.variantId]);
      expect(emptied.status).to.equal(204);
    } finally {
      await instance.close();
    }
  });

  it('When order-service reads a cart for checkout while product-service is down, then 503: checkout needs live prices', async () => {
    const instance = await instanceWithOwnCatalog();
    try {
      const customer = newCustomer();
      await givenInCart(instance.url, customer, instance.catalog.addVariant().variantId, 1);
      instance.catalog.down = true;
      const orders = new CartServiceClient({
        baseUrl: instance.url,
        caller: 'order-service',
        secret: SERVICE_SECRET,
      });

      const failure = await orders.checkoutCart(customer.id).catch((error: unknown) => error);

      expect(failure).to.have.property('status', 503);
    } finally {
      await instance.close();
    }
  });
});
