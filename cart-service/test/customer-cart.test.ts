import { expect } from 'chai';
import type { Cart } from '@escalable/shop-sdk';
import { cartCall, cartService, givenInCart, newCustomer, type ProblemBody } from './harness.js';

const quantities = (cart: Cart) => cart.lines.map((line) => [line.variantId, line.quantity]);

describe('Customer carts', () => {
  it('When a customer who never added anything reads the cart, then 200 with an empty cart', async () => {
    const { url } = await cartService();

    const answer = await cartCall<Cart>(url, newCustomer(), 'GET', '/api/cart');

    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.equal({
      currency: null,
      lines: [],
      itemCount: 0,
      subtotal: null,
      pricing: 'live',
      updatedAt: null,
    });
  });

  it('When a customer adds the same variant twice, then one line holds the sum, and no cart token is issued', async () => {
    const { url, catalog } = await cartService();
    const customer = newCustomer();
    const variant = catalog.addVariant();

    const first = await cartCall<Cart>(url, customer, 'POST', '/api/cart/items', {
      variantId: variant.variantId,
      quantity: 2,
    });
    const second = await cartCall<Cart>(url, customer, 'POST', '/api/cart/items', {
      variantId: variant.variantId,
      quantity: 3,
    });

    expect([first.status, second.status]).to.deep.equal([200, 200]);
    expect(first.headers).to.not.have.property('x-cart-token');
    expect(quantities(second.body)).to.deep.equal([[variant.variantId, 5]]);
    expect(second.body.subtotal).to.deep.equal({ amount: 5000, currency: 'ARS' });
  });

  it('When a customer changes a quantity, then the line holds it; 0 removes the line', async () => {
    const { url, catalog } = await cartService();
    const customer = newCustomer();
    const [a, b] = [catalog.addVariant(), catalog.addVariant()];
    await givenInCart(url, customer, a.variantId, 1);
    await givenInCart(url, customer, b.variantId, 1);

    const changed = await cartCall<Cart>(url, customer, 'PATCH', `/api/cart/items/${a.variantId}`, {
      quantity: 7,
    });
    const removed = await cartCall<Cart>(url, customer, 'PATCH', `/api/cart/items/${b.variantId}`, {
      quantity: 0,
    });

    expect(changed.status).to.equal(200);
    expect(quantities(changed.body)).to.deep.equal([
      [a.variantId, 7],
      [b.variantId, 1],
    ]);
    expect(quantities(removed.body)).to.deep.equal([[a.variantId, 7]]);
    expect(quantities((await cartCall<Cart>(url, customer, 'GET', '/api/cart')).body)).to.deep.equal([
      [a.variantId, 7],
    ]);
  });

  it('When a customer removes a line, then it is gone; removing it again is 404 line-not-found', async () => {
    const { url, catalog } = await cartService();
    const customer = newCustomer();
    const variant = catalog.addVariant();
    await givenInCart(url, customer, variant.variantId, 2);

    const removed = await cartCall<Cart>(url, customer, 'DELETE', `/api/cart/items/${variant.variantId}`);
    const again = await cartCall<ProblemBody>(
      url,
      customer,
      'DELETE',
      `/api/cart/items/${variant.variantId}`,
    );

    expect(removed.status).to.equal(200);
    expect(removed.body.lines).to.deep.equal([]);
    expect(removed.body.currency).to.equal(null);
    expect([again.status, again.body.type, again.body.variantId]).to.deep.equal([
      404,
      'https://escalable.shop/problems/line-not-found',
      variant.variantId,
    ]);
  });

  it('When a customer empties the cart, then 204 and the cart has no lines', async () => {
    const { url, catalog } = await cartService();
    const customer = newCustomer();
    await givenInCart(url, customer, catalog.addVariant().variantId, 2);
    await givenInCart(url, customer, catalog.addVariant().variantId, 1);

    const emptied = await cartCall(url, customer, 'DELETE', '/api/cart');
    const read = await cartCall<Cart>(url, customer, 'GET', '/api/cart');

    expect(emptied.status).to.equal(204);
    expect(read.body).to.deep.include({ lines: [], itemCount: 0, currency: null, subtotal: null });
  });

  it("When a customer reads or changes the cart, then only their own: another customer's lines are 404 to them", async () => {
    const { url, catalog } = await cartService();
    const [ana, bruno] = [newCustomer(), newCustomer()];
    const variant = catalog.addVariant();
    await givenInCart(url, ana, variant.variantId, 4);

    const [seen, patched, deleted, emptied] = await Promise.all([
      cartCall<Cart>(url, bruno, 'GET', '/api/cart'),
      cartCall<ProblemBody>(url, bruno, 'PATCH', `/api/cart/items/${variant.variantId}`, { quantity: 1 }),
      cartCall<ProblemBody>(url, bruno, 'DELETE', `/api/cart/items/${variant.variantId}`),
      cartCall(url, bruno, 'DELETE', '/api/cart'),
    ]);

    expect(seen.body.lines).to.deep.equal([]);
    expect([patched.status, deleted.status, emptied.status]).to.deep.equal([404, 404, 204]);
    expect(quantities((await cartCall<Cart>(url, ana, 'GET', '/api/cart')).body)).to.deep.equal([
      [variant.variantId, 4],
    ]);
  });

  it('When the access token is malformed or its signature forged, then 401, not a guest cart', async () => {
    const { url, catalog } = await cartService();
    const forgedSignature = newCustomer();
    const variant = catalog.addVariant();

    const [malformed, forged] = await Promise.all([
      cartCall<ProblemBody>(url, { token: 'not-a-token' }, 'POST', '/api/cart/items', {
        variantId: variant.variantId,
        quantity: 1,
      }),
      cartCall<ProblemBody>(
        url,
        { token: forgedSignature.token.replace(/\.[^.]+$/, '.c2lnbmF0dXJl') },
        'GET',
        '/api/cart',
      ),
    ]);

    expect([malformed.status, forged.status]).to.deep.equal([401, 401]);
    expect(malformed.headers).to.not.have.property('x-cart-token');
  });
});
