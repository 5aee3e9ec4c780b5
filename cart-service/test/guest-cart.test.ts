import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { Cart, GuestCart } from '@escalable/shop-sdk';
import { countRows } from '@escalable/shop-sdk/testing';
import { cartCall, cartService, givenInCart, type ProblemBody, type Shopper } from './harness.js';

describe('Guest carts', () => {
  it('When a guest adds a first item, then 201 with the cart and an unguessable token in the header and the body', async () => {
    const { url, catalog } = await cartService();
    const variant = catalog.addVariant({ price: { amount: 2500, currency: 'ARS' } });

    const answer = await cartCall<GuestCart>(url, {}, 'POST', '/api/cart/items', {
      variantId: variant.variantId,
      quantity: 2,
    });

    expect(answer.status).to.equal(201);
    const token = answer.headers['x-cart-token'];
    expect(token).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(answer.body.cartToken).to.equal(token);
    expect(answer.headers['cache-control']).to.equal('no-store');
    expect(answer.body).to.deep.include({
      currency: 'ARS',
      itemCount: 2,
      subtotal: { amount: 5000, currency: 'ARS' },
      pricing: 'live',
    });
    expect(answer.body.lines[0]).to.deep.include({
      variantId: variant.variantId,
      quantity: 2,
      unitPrice: { amount: 2500, currency: 'ARS' },
      lineTotal: { amount: 5000, currency: 'ARS' },
      available: 10,
      issues: [],
    });
    expect(answer.body.lines[0]!.product).to.deep.equal({
      productId: variant.productId,
      name: variant.productName,
      slug: variant.productSlug,
      sku: variant.sku,
      options: variant.options,
      image: null,
    });
  });

  it('When the guest comes back with the token, then the same cart, and a second add goes to it without a new token', async () => {
    const { url, catalog } = await cartService();
    const [shirt, cap] = [catalog.addVariant(), catalog.addVariant()];
    const guest: Shopper = {};
    await givenInCart(url, guest, shirt.variantId, 1);

    const added = await cartCall<Cart>(url, guest, 'POST', '/api/cart/items', {
      variantId: cap.variantId,
      quantity: 3,
    });
    const read = await cartCall<Cart>(url, guest, 'GET', '/api/cart');

    expect(added.status).to.equal(200);
    expect(added.headers).to.not.have.property('x-cart-token');
    expect(added.body).to.not.have.property('cartToken');
    expect(read.status).to.equal(200);
    expect(read.body.lines.map((line) => [line.variantId, line.quantity])).to.deep.equal([
      [shirt.variantId, 1],
      [cap.variantId, 3],
    ]);
    expect(read.body.itemCount).to.equal(4);
  });

  it('When the cart is stored, then only the SHA-256 of its token is, never the token', async () => {
    const { url, db, catalog } = await cartService();
    const guest: Shopper = {};
    await givenInCart(url, guest, catalog.addVariant().variantId, 1);
    const hash = createHash('sha256').update(guest.cartToken!).digest('hex');

    const [byHash, byToken] = await Promise.all([
      countRows(db, 'carts', { token_hash: hash }),
      countRows(db, 'carts', 'token_hash = $token', { token: guest.cartToken }),
    ]);

    expect([byHash, byToken]).to.deep.equal([1, 0]);
  });

  it('When a guest calls without a token, or with an unknown or malformed one, then 404 cart-not-found and the cart is untouched', async () => {
    const { url, catalog } = await cartService();
    const variant = catalog.addVariant();
    const owner: Shopper = {};
    await givenInCart(url, owner, variant.variantId, 1);
    const strangers: Shopper[] = [
      {},
      { cartToken: 'A'.repeat(43) },
      { cartToken: `${owner.cartToken!.slice(0, 42)}!` },
      { cartToken: owner.cartToken!.slice(1) },
    ];

    const answers = await Promise.all(
      strangers.flatMap((stranger) => [
        cartCall<ProblemBody>(url, stranger, 'GET', '/api/cart'),
        cartCall<ProblemBody>(url, stranger, 'PATCH', `/api/cart/items/${variant.variantId}`, {
          quantity: 5,
        }),
        cartCall<ProblemBody>(url, stranger, 'DELETE', `/api/cart/items/${variant.variantId}`),
        cartCall<ProblemBody>(url, stranger, 'DELETE', '/api/cart'),
      ]),
    );

    for (const answer of answers) {
      expect([answer.status, answer.body.type]).to.deep.equal([
        404,
        'https://escalable.shop/problems/cart-not-found',
      ]);
    }
    const untouched = await cartCall<Cart>(url, owner, 'GET', '/api/cart');
    expect(untouched.body.lines.map((line) => line.quantity)).to.deep.equal([1]);
  });

  it('When a guest adds with a token that opens no cart, then 404 and no cart is opened', async () => {
    const { url, db, catalog } = await cartService();
    const before = await countRows(db, 'carts');

    const answer = await cartCall<ProblemBody>(
      url,
      { cartToken: 'B'.repeat(43) },
      'POST',
      '/api/cart/items',
      {
        variantId: catalog.addVariant().variantId,
        quantity: 1,
      },
    );

    expect([answer.status, answer.body.type]).to.deep.equal([
      404,
      'https://escalable.shop/problems/cart-not-found',
    ]);
    expect(answer.headers).to.not.have.property('x-cart-token');
    expect(await countRows(db, 'carts')).to.equal(before);
  });
});
