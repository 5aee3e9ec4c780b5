import { expect } from 'chai';
import type { Cart } from '@escalable/shop-sdk';
import { countRows } from '@escalable/shop-sdk/testing';
import { cartCall, cartService, givenInCart, newCustomer, type ProblemBody } from './harness.js';

const problem = (slug: string) => `https://escalable.shop/problems/${slug}`;

describe('Cart rules: stock, limits, currency, what is on sale', () => {
  it('When an add asks for more than is available, then 409 insufficient-stock with what is available, and the line is unchanged', async () => {
    const { url, catalog } = await cartService();
    const customer = newCustomer();
    const variant = catalog.addVariant({ available: 5 });
    await givenInCart(url, customer, variant.variantId, 3);

    const answer = await cartCall<ProblemBody>(url, customer, 'POST', '/api/cart/items', {
      variantId: variant.variantId,
      quantity: 3,
    });

    expect(answer.status).to.equal(409);
    expect(answer.body).to.deep.include({
      type: problem('insufficient-stock'),
      variantId: variant.variantId,
      requested: 6,
      available: 5,
    });
    const cart = await cartCall<Cart>(url, customer, 'GET', '/api/cart');
    expect(cart.body.lines[0]!.quantity).to.equal(3);
  });

  it('When a change of quantity asks for more than is available, then 409 insufficient-stock', async () => {
    const { url, catalog } = await cartService();
    const customer = newCustomer();
    const variant = catalog.addVariant({ available: 4 });
    await givenInCart(url, customer, variant.variantId, 1);

    const answer = await cartCall<ProblemBody>(
      url,
      customer,
      'PATCH',
      `/api/cart/items/${variant.variantId}`,
      {
        quantity: 5,
      },
    );

    expect([answer.status, answer.body.type, answer.body.available]).to.deep.equal([
      409,
      problem('insufficient-stock'),
      4,
    ]);
  });

  it('When an add would take a line past 99 units, then 409 quantity-limit with the limit', async () => {
    const { url, catalog } = await cartService();
    const customer = newCustomer();
    const variant = catalog.addVariant({ available: 500 });
    await givenInCart(url, customer, variant.variantId, 60);

    const over = await cartCall<ProblemBody>(url, customer, 'POST', '/api/cart/items', {
      variantId: variant.variantId,
      quantity: 40,
    });
    const upTo = await cartCall<Cart>(url, customer, 'POST', '/api/cart/items', {
      variantId: variant.variantId,
      quantity: 39,
    });

    expect(over.status).to.equal(409);
    expect(over.body).to.deep.include({ type: problem('quantity-limit'), limit: 99, inCart: 60 });
    expect(upTo.status).to.equal(200);
    expect(upTo.body.lines[0]!.quantity).to.equal(99);
  });

  it('When a cart holds 100 lines, then a 101st variant is 409 line-limit, and adding to a line it holds still works', async () => {
    const { url, catalog } = await cartService();
    const customer = newCustomer();
    const variants = Array.from({ length: 100 }, () => catalog.addVariant());
    for (const variant of variants) await givenInCart(url, customer, variant.variantId, 1);

    const extra = await cartCall<ProblemBody>(url, customer, 'POST', '/api/cart/items', {
      variantId: catalog.addVariant().variantId,
      quantity: 1,
    });
    const more = await cartCall<Cart>(url, customer, 'POST', '/api/cart/items', {
      variantId: variants[0]!.variantId,
      quantity: 1,
    });

    expect(extra.status).to.equal(409);
    expect(extra.body).to.deep.include({ type: problem('line-limit'), limit: 100 });
    expect(more.status).to.equal(200);
    expect(more.body.lines).to.have.length(100);
    expect(more.body.itemCount).to.equal(101);
  });

  it('When a variant in another currency is added, then 409 currency-mismatch naming both currencies', async () => {
    const { url, catalog } = await cartService();
    const customer = newCustomer();
    await givenInCart(url, customer, catalog.addVariant().variantId, 1);
    const dollars = catalog.addVariant({ price: { amount: 1999, currency: 'USD' } });

    const answer = await cartCall<ProblemBody>(url, customer, 'POST', '/api/cart/items', {
      variantId: dollars.variantId,
      quantity: 1,
    });

    expect(answer.status).to.equal(409);
    expect(answer.body).to.deep.include({
      type: problem('currency-mismatch'),
      cartCurrency: 'ARS',
      variantCurrency: 'USD',
    });
  });

  it('When the cart is emptied, then a variant in another currency can be added', async () => {
    const { url, catalog } = await cartService();
    const customer = newCustomer();
    await givenInCart(url, customer, catalog.addVariant().variantId, 1);
    await cartCall(url, customer, 'DELETE', '/api/cart');

    const answer = await givenInCart<Cart>(
      url,
      customer,
      catalog.addVariant({ price: { amount: 5, currency: 'USD' } }).variantId,
      1,
    );

    expect(answer.body.currency).to.equal('USD');
  });

  it('When an archived or draft variant is added, then 409 not-for-sale and nothing is written', async () => {
    const { url, db, catalog } = await cartService();
    const [archived, draft] = [
      catalog.addVariant({ status: 'archived' }),
      catalog.addVariant({ status: 'draft' }),
    ];
    const before = await countRows(db, 'carts');

    const answers = await Promise.all(
      [archived, draft].map((variant) =>
        cartCall<ProblemBody>(url, {}, 'POST', '/api/cart/items', {
          variantId: variant.variantId,
          quantity: 1,
        }),
      ),
    );

    expect(
      answers.map((answer) => [answer.status, answer.body.type, answer.body.variantStatus]),
    ).to.deep.equal([
      [409, problem('not-for-sale'), 'archived'],
      [409, problem('not-for-sale'), 'draft'],
    ]);
    expect(answers[0]!.headers).to.not.have.property('x-cart-token');
    expect(await countRows(db, 'carts')).to.equal(before);
  });

  it('When a variant that does not exist is added, then 404 variant-not-found naming it', async () => {
    const { url } = await cartService();
    const variantId = '5d0c5e0e-7c1f-4d7a-9b7e-8d2f1c3b4a5e';

    const answer = await cartCall<ProblemBody>(url, newCustomer(), 'POST', '/api/cart/items', {
      variantId,
      quantity: 1,
    });

    expect([answer.status, answer.body.type, answer.body.variantId]).to.deep.equal([
      404,
      problem('variant-not-found'),
      variantId,
    ]);
  });
});
