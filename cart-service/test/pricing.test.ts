import { expect } from 'chai';
import type { Cart, CartLine } from '@escalable/shop-sdk';
import { cartCall, cartService, givenInCart, newCustomer } from './harness.js';

const lineOf = (cart: Cart, variantId: string): CartLine =>
  cart.lines.find((line) => line.variantId === variantId)!;

describe('Live prices and line issues', () => {
  it('When a price changes after the add, then the line shows the new price and flags the change, and a quantity change accepts it', async () => {
    const { url, catalog } = await cartService();
    const customer = newCustomer();
    const variant = catalog.addVariant({ price: { amount: 1000, currency: 'ARS' } });
    await givenInCart(url, customer, variant.variantId, 2);
    catalog.update(variant.variantId, { price: { amount: 1200, currency: 'ARS' } });

    const flagged = await cartCall<Cart>(url, customer, 'GET', '/api/cart');
    const accepted = await cartCall<Cart>(url, customer, 'PATCH', `/api/cart/items/${variant.variantId}`, {
      quantity: 2,
    });

    expect(lineOf(flagged.body, variant.variantId)).to.deep.include({
      addedPrice: { amount: 1000, currency: 'ARS' },
      unitPrice: { amount: 1200, currency: 'ARS' },
      lineTotal: { amount: 2400, currency: 'ARS' },
      issues: [
        {
          type: 'price-changed',
          addedPrice: { amount: 1000, currency: 'ARS' },
          currentPrice: { amount: 1200, currency: 'ARS' },
        },
      ],
    });
    expect(flagged.body.subtotal).to.deep.equal({ amount: 2400, currency: 'ARS' });
    expect(lineOf(accepted.body, variant.variantId)).to.deep.include({
      addedPrice: { amount: 1200, currency: 'ARS' },
      issues: [],
    });
  });

  it('When the same variant is added again after a price change, then the new price is accepted', async () => {
    const { url, catalog } = await cartService();
    const customer = newCustomer();
    const variant = catalog.addVariant();
    await givenInCart(url, customer, variant.variantId, 1);
    catalog.update(variant.variantId, { price: { amount: 900, currency: 'ARS' } });

    const readded = await givenInCart<Cart>(url, customer, variant.variantId, 1);

    expect(lineOf(readded.body, variant.variantId)).to.deep.include({
      quantity: 2,
      addedPrice: { amount: 900, currency: 'ARS' },
      issues: [],
    });
  });

  it('When a variant is archived, runs out, runs short or disappears, then each line says so and stays in the cart', async () => {
    const { url, catalog } = await cartService();
    const customer = newCustomer();
    const [archived, soldOut, short, gone, fine] = Array.from({ length: 5 }, () =>
      catalog.addVariant({ price: { amount: 100, currency: 'ARS' } }),
    );
    for (const variant of [archived, soldOut, short, gone, fine])
      await givenInCart(url, customer, variant!.variantId, 3);
    catalog.update(archived!.variantId, { status: 'archived' });
    catalog.update(soldOut!.variantId, { available: 0 });
    catalog.update(short!.variantId, { available: 2 });
    catalog.remove(gone!.variantId);

    const cart = (await cartCall<Cart>(url, customer, 'GET', '/api/cart')).body;

    expect(cart.lines.map((line) => [line.variantId, line.quantity, line.issues])).to.deep.equal([
      [archived!.variantId, 3, [{ type: 'archived', status: 'archived' }]],
      [soldOut!.variantId, 3, [{ type: 'out-of-stock' }]],
      [short!.variantId, 3, [{ type: 'insufficient-stock', available: 2 }]],
      [gone!.variantId, 3, [{ type: 'missing' }]],
      [fine!.variantId, 3, []],
    ]);
    expect(lineOf(cart, gone!.variantId)).to.deep.include({
      unitPrice: null,
      lineTotal: null,
      available: null,
      product: null,
      addedPrice: { amount: 100, currency: 'ARS' },
    });
    // Lines that cannot be bought at all are left out of the subtotal; short ones are still counted.
    expect(cart.subtotal).to.deep.equal({ amount: 900, currency: 'ARS' });
    expect(cart.itemCount).to.equal(15);
  });

  it('When a cart of many lines is read, then product-service is asked once, for all of them', async () => {
    const { url, catalog } = await cartService();
    const customer = newCustomer();
    const variants = Array.from({ length: 12 }, () => catalog.addVariant());
    for (const variant of variants) await givenInCart(url, customer, variant.variantId, 1);
    const before = catalog.lookups.length;

    await cartCall<Cart>(url, customer, 'GET', '/api/cart');

    expect(catalog.lookups.slice(before)).to.have.length(1);
    expect(catalog.lookups.at(-1)).to.have.members(variants.map((variant) => variant.variantId));
  });
});
