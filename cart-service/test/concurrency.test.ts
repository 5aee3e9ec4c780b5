import { expect } from 'chai';
import type { Cart } from '@escalable/shop-sdk';
import { countRows } from '@escalable/shop-sdk/testing';
import { cartCall, cartService, givenInCart, newCustomer, type Shopper } from './harness.js';

describe('Concurrent writes to one cart', () => {
  it('When 20 adds of the same variant arrive at once, then the line holds their sum', async () => {
    const { url, catalog } = await cartService();
    const customer = newCustomer();
    const variant = catalog.addVariant({ available: 500 });

    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        cartCall(url, customer, 'POST', '/api/cart/items', { variantId: variant.variantId, quantity: 3 }),
      ),
    );

    expect(answers.map((answer) => answer.status)).to.deep.equal(Array(20).fill(200));
    const cart = await cartCall<Cart>(url, customer, 'GET', '/api/cart');
    expect(cart.body.lines.map((line) => line.quantity)).to.deep.equal([60]);
  });

  it('When 20 adds at once would pass the stock, then the ones that fit succeed, the rest get 409, and the line holds exactly the successes', async () => {
    const { url, catalog } = await cartService();
    const guest: Shopper = {};
    const variant = catalog.addVariant({ available: 50 });
    await givenInCart(url, guest, variant.variantId, 2);

    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        cartCall(url, guest, 'POST', '/api/cart/items', { variantId: variant.variantId, quantity: 5 }),
      ),
    );

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).to.have.length(9);
    expect(statuses.filter((status) => status === 409)).to.have.length(11);
    const cart = await cartCall<Cart>(url, guest, 'GET', '/api/cart');
    expect(cart.body.lines.map((line) => line.quantity)).to.deep.equal([47]);
  });

  it("When a customer's first 10 adds of different variants arrive at once, then one cart holds all 10 lines", async () => {
    const { url, db, catalog } = await cartService();
    const customer = newCustomer();
    const variants = Array.from({ length: 10 }, () => catalog.addVariant());

    const answers = await Promise.all(
      variants.map((variant) =>
        cartCall(url, customer, 'POST', '/api/cart/items', { variantId: variant.variantId, quantity: 1 }),
      ),
    );

    expect(answers.map((answer) => answer.status)).to.deep.equal(Array(10).fill(200));
    const cart = await cartCall<Cart>(url, customer, 'GET', '/api/cart');
    expect(cart.body.lines).to.have.length(10);
    expect(await countRows(db, 'carts', { customer_id: customer.id })).to.equal(1);
  });

  it('When the cart is converted while an add waits on its lock, then the add opens a new cart instead of failing', async () => {
    const { url, db, catalog, internal } = await cartService();
    const customer = newCustomer();
    const variant = catalog.addVariant();
    await givenInCart(url, customer, variant.variantId, 1);
    const { id } = await internal.checkoutCart(customer.id);
    // order-service's conversion, held open between its lock and its commit.
    const conversion = await db.sequelize.transaction();
    await db.sequelize.query('SELECT id FROM carts WHERE id = $id FOR UPDATE', {
      bind: { id },
      transaction: conversion,
    });

    const adding = cartCall<Cart>(url, customer, 'POST', '/api/cart/items', {
      variantId: variant.variantId,
      quantity: 2,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await db.sequelize.query("UPDATE carts SET status = 'converted', order_id = 'ord_race' WHERE id = $id", {
      bind: { id },
      transaction: conversion,
    });
    await conversion.commit();
    const added = await adding;

    expect(added.status).to.equal(200);
    expect(added.body.lines.map((line) => line.quantity)).to.deep.equal([2]);
    expect((await internal.checkoutCart(customer.id)).id).to.not.equal(id);
  });
});
